"""Recording in the app (docs/record.md): the tie editor, the interaction log and stated links as page
pieces — a person's page, a new contact, the keep-in-touch queue and a deal's page use them."""
