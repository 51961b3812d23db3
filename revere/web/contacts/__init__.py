"""The contacts pages and API: persons and companies with the ties, deals and merges around them.

They show the network (who on the team knows a person, how well) and the deals (buying roles,
open deals), so they sit in the top layer; the contacts app below keeps the models, identity and
editing services (docs/decisions.md, "Layers").
"""
