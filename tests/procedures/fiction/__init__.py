"""A fictional filing (备案) declared on the procedure layer alone: a model, three steps with a
period in working days, and a document. It is the recipe of CONTRIBUTING.md ("A new
procedure"), kept runnable by tests/procedures/test_fiction.py."""
