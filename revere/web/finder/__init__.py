"""The middleman finder's page, API and command, composed from the network, deals and levers."""
