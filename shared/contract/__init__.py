"""The contract between services: events, topics, catalogue, vocabulary and schemas."""
