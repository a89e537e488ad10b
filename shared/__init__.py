"""What every Siang service shares, in three parts:

- `shared.contract`: what the services agree on (events, topics, the catalogue, the
  status vocabulary, committed JSON Schemas, the survey link and tracking PIN formats);
- `shared.infra`: the plumbing (Kafka, producer, MongoDB, outbox, processed events,
  event store, runtime, HTTP, logs, metrics, settings, staff tokens);
- `shared.thai`: the Thai-office helpers (business calendar, B.E. dates, fiscal year).

`shared` never imports `services`; `shared.thai` and `shared.contract` never import
`shared.infra`."""
