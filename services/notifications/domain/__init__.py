"""The pure part of notifications: who hears what, in which words, when to retry.

No I/O here: rules, templates, signing, backoff and ledger keys are plain functions that
the handlers and channel adapters call.
"""
