"""Views of the shared page pieces (the pages themselves live in the app at the highest layer they need)."""
