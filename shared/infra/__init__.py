"""Infrastructure plumbing: Kafka, MongoDB, outbox, runtime, HTTP, logs and metrics."""
