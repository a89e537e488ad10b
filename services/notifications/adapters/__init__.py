"""The notifications service's edges: MongoDB stores, the staff directory, the channels."""
