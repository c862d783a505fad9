"""The procedure layer: statutory procedures declared as tables of steps (declare.py), taken
through one skeleton (services.perform), with gap-free numbers, deadlines counted as the law
counts them, work queues, overdue lists and attachments. No domain of its own: a domain
declares its record model, its steps and its rules, and this package does the rest."""
