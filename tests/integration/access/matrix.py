"""Who reaches what: every route of every service (each `create_app(settings)`'s routes,
one row per method and path) and what each kind of caller gets from it.

`test_matrix.py` fails when a service gains a route this table does not name (or loses
one it does), and calls every route as every caller against the real services, expecting
exactly the cell's answer. A cell is:

- `OK`: allowed (a 2xx, or a 3xx anywhere but the console's sign-in page);
- `LOGIN`: a 303 to `/console/login` (the console asks who you are; also where signing
  out leads, for anyone), on the console's host: every service's staff pages send
  whoever is not signed in there, with `?next=` back to the page;
- a status: refused with it. 401: no (valid) credentials; 403: signed in, but the role
  may not; 404: the console and the case API answer "no such case" for a case outside
  the caller's scope, so its existence is not told.

The callers: `public` (nothing), `channel_key` (an intake API key of the LINE channel,
`X-API-Key`), and a signed-in account of each staff role (`shared.infra.auth.StaffRole`):
`staff` and `supervisor` of the unit the case belongs to, `committee`, `participation`
(a participation coordinator: runs consultations; of complaints, the committee's
access), `admin`. A staff token goes as `Authorization: Bearer` to the APIs and as the
`siang_token` cookie to the pages (console, dashboard, ITA report, admin pages); staff
tokens mean nothing to intake (but for its staff-keyed entry and channel-key pages),
notifications (but for its template previews) and the public participation pages, which
answer them as they answer the public.

What each call sends (a real case opened through intake and workflow, its tracking code
and PIN, a survey link, policies as they stand, a consultation with an opinion and an
outcome) is in `calls.py`.

A `# HOLE:` comment marks a cell that is the current behaviour but should not be.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

OK: Final = "ok"
LOGIN: Final = "login"
Expect: TypeAlias = Literal["ok", "login"] | int

ROLES: Final = (
    "public",
    "channel_key",
    "staff",
    "supervisor",
    "committee",
    "participation",
    "admin",
)
STAFF_ROLES: Final = ROLES[2:]


def row(*cells: Expect) -> dict[str, Expect]:
    assert len(cells) == len(ROLES), cells
    return dict(zip(ROLES, cells, strict=True))


# fmt: off
MATRIX: Final[dict[str, dict[str, Expect]]] = {
    # route                                              public channel_key staff supervisor committee participation admin
    # ---- intake: public by design; staff tokens mean nothing here but for keyed entry
    # and the admin pages
    "intake GET /openapi.json":                          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /asyncapi.json":                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /docs":                                  row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /docs/oauth2-redirect":                  row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /redoc":                                 row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /healthz":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /readyz":                                row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # Open to anyone who reaches the port: the deployment keeps it off the public network.
    "intake GET /metrics":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # No key: the rate-limited web channel; a key: its own channel.
    "intake POST /v1/submissions":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /v1/categories":                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # The right code and PIN (the PIN is the credential; wrong ones lock the code).
    "intake GET /v1/track/{tracking_code}":              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /":                                      row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /submit":                                row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /submit":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /place.js":                              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # Staff-keyed entry (phone, walk-in, letter): the one intake route a staff token opens,
    # for those who handle cases; the keyer recorded is the token's account.
    "intake POST /v1/staff/submissions":                 row(401, 401, OK,  OK,  403, 403, OK),
    # Channel keys, for admins, signed in by the console's cookie: nobody signed in goes
    # to the console's sign-in (a form posted without a session: 401).
    "intake GET /admin/channel-keys":                    row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "intake POST /admin/channel-keys":                   row(401, 401, 403, 403, 403, 403, OK),
    "intake GET /admin/channel-keys/{key_id}/revoke":    row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "intake POST /admin/channel-keys/{key_id}/revoke":   row(401, 401, 403, 403, 403, 403, OK),
    # LINE's webhook: whoever holds a body signed with the channel secret (calls.py signs
    # it); without a valid X-Line-Signature it is 401 for every caller.
    "intake POST /v1/channels/line/webhook":             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # Facebook's: the subscription check answers whoever knows the verify token (calls.py
    # sends it; a wrong one is 403), events whoever signs with the app secret (else 401).
    "intake GET /v1/channels/facebook/webhook":          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /v1/channels/facebook/webhook":         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # Open311 GeoReport v2: reading is public by the spec (only requests made through
    # Open311, and never what was written or who wrote it); a web submission's code is no
    # Open311 request (404). Making one takes an Open311 channel's key as the form's
    # api_key (no header is its credential): 403 without (with one:
    # tests/integration/intake/test_open311.py).
    "intake GET /open311/v2/services.json":              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /open311/v2/services/{service_code}.json":row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /open311/v2/requests.json":              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /open311/v2/requests.json":             row(403,  403,  403,  403,  403,  403,  403),
    "intake GET /open311/v2/requests/{service_request_id}.json":row(404,  404,  404,  404,  404,  404,  404),
    "intake GET /open311/v2/tokens/{token}.json":        row(404,  404,  404,  404,  404,  404,  404),
    "intake GET /open311/v2/services.xml":               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /open311/v2/services/{service_code}.xml":row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake GET /open311/v2/requests.xml":               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /open311/v2/requests.xml":              row(403,  403,  403,  403,  403,  403,  403),
    "intake GET /open311/v2/requests/{service_request_id}.xml":row(404,  404,  404,  404,  404,  404,  404),
    "intake GET /open311/v2/tokens/{token}.xml":         row(404,  404,  404,  404,  404,  404,  404),
    "intake GET /track/{code}":                          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # The complainant's own changes: the code and PIN are the credential, whoever sends
    # them. A withdrawal that went through would close the case every later row uses:
    # it is sent unconfirmed (page) or malformed (API), and everyone is refused alike.
    "intake POST /track/{code}":                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /track/{code}/information":             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /track/{code}/withdrawal":              row(422, 422, 422, 422, 422, 422, 422),
    "intake POST /v1/track/{tracking_code}/information": row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /v1/track/{tracking_code}/withdrawal":  row(422, 422, 422, 422, 422, 422, 422),
    # The signed survey link is the credential (a second answer gets a polite 200 too).
    "intake GET /survey/{token}":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "intake POST /survey/{token}":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- workflow: operational endpoints
    "workflow GET /openapi.json":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /asyncapi.json":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /docs":                                row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /docs/oauth2-redirect":                row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /redoc":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /healthz":                             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /readyz":                              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /metrics":                             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- workflow: sign-in and sessions
    # Signing in is public (with a right password; wrong ones lock the username).
    "workflow POST /v1/auth/login":                      row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow GET /v1/auth/me":                          row(401, 401, OK,  OK,  OK,  OK,  OK),
    # One's own sessions: every account may end them.
    "workflow POST /v1/auth/sign-out-everywhere":        row(401, 401, OK,  OK,  OK,  OK,  OK),
    # One's own password: every account may change it (422: the matrix's current
    # password is wrong on purpose).
    "workflow POST /v1/auth/password":                   row(401, 401, 422, 422, 422, 422, 422),
    # Another account's sessions: an admin only.
    "workflow POST /v1/auth/staff/{staff_id}/sign-out-everywhere":
                                                         row(401, 401, 403, 403, 403, 403, OK),
    # ---- workflow: cases (committee and participation read reports, never a case)
    "workflow GET /v1/cases":                            row(401, 401, OK,  OK,  403, 403, OK),
    "workflow GET /v1/cases/{case_id}":                  row(401, 401, OK,  OK,  403, 403, OK),
    # A case's photo: its assignee (the matrix's member of staff), the unit's supervisors
    # and admins (the unit's other staff: 404, tests/integration/workflow/test_case_files.py).
    "workflow GET /v1/cases/{case_id}/files/{file_id}":  row(401, 401, OK,  OK,  403, 403, OK),
    # An internal comment on the case: any office role in scope may.
    "workflow POST /v1/cases/{case_id}/commands/{command}":
                                                         row(401, 401, OK,  OK,  403, 403, OK),
    # ---- workflow: administration (supervisors read the policies and their unit's staff)
    "workflow GET /v1/admin/routing":                    row(401, 401, 403, OK,  403, 403, OK),
    "workflow PUT /v1/admin/routing":                    row(401, 401, 403, 403, 403, 403, OK),
    "workflow GET /v1/admin/sla":                        row(401, 401, 403, OK,  403, 403, OK),
    "workflow PUT /v1/admin/sla":                        row(401, 401, 403, 403, 403, 403, OK),
    "workflow GET /v1/admin/units":                      row(401, 401, 403, OK,  403, 403, OK),
    "workflow GET /v1/admin/staff":                      row(401, 401, 403, OK,  403, 403, OK),
    "workflow PUT /v1/admin/staff/{staff_id}":           row(401, 401, 403, 403, 403, 403, OK),
    # Only with SIANG_WORKFLOW_ALLOW_CLOCK_OVERRIDE (tests, demos), as the harness runs.
    "workflow POST /v1/admin/clock":                     row(401, 401, 403, 403, 403, 403, OK),
    "workflow POST /v1/admin/scan":                      row(401, 401, 403, 403, 403, 403, OK),
    # The privacy commands (PDPA): admins only; who asks is the session's admin.
    "workflow POST /v1/admin/erasures":                  row(401, 401, 403, 403, 403, 403, OK),
    "workflow GET /v1/admin/erasures":                   row(401, 401, 403, 403, 403, 403, OK),
    "workflow GET /v1/admin/people/export":              row(401, 401, 403, 403, 403, 403, OK),
    # ---- workflow: the console (cookie session; every form carries its CSRF token)
    "workflow GET /console/login":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "workflow POST /console/login":                      row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # Signing out leads to the sign-in page, whoever asks.
    "workflow POST /console/logout":                     row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "workflow POST /console/sign-out-everywhere":        row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    # My account (web/account.py): every signed-in person's own page; the password change
    # is made for real (a 303 back to the page), the rules kept.
    "workflow GET /console/account":                     row(LOGIN, LOGIN, OK, OK,  OK,  OK,  OK),
    "workflow POST /console/account/password":           row(LOGIN, LOGIN, OK, OK,  OK,  OK,  OK),
    # The queue page says "reports only" (403) to committee and participation.
    "workflow GET /console":                             row(LOGIN, LOGIN, OK, OK,  403, 403, OK),
    # Back to the queue this browser last looked at (a redirect to it).
    "workflow GET /console/last":                        row(LOGIN, LOGIN, OK, OK,  OK,  OK,  OK),
    "workflow GET /console/cases/{case_id}":             row(LOGIN, LOGIN, OK, OK,  404, 404, OK),
    "workflow POST /console/cases/{case_id}/{command}":  row(LOGIN, LOGIN, OK, OK,  404, 404, OK),
    # Keying in a phone call, walk-in or letter: those who handle cases (sent on to intake
    # on the caller's own token).
    "workflow GET /console/new":                         row(LOGIN, LOGIN, OK, OK,  403, 403, OK),
    "workflow POST /console/new":                        row(LOGIN, LOGIN, OK, OK,  403, 403, OK),
    # The supervisor view: a supervisor's own unit, an admin's any (?unit=); staff and the
    # reports-only roles get a 403 page. The hand-over and absence forms likewise.
    "workflow GET /console/supervisor":                  row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    "workflow GET /console/supervisor/people/{staff_id}": row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    "workflow GET /console/supervisor/unassigned":       row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    "workflow POST /console/supervisor/reassign":        row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    "workflow POST /console/supervisor/absences":        row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    "workflow POST /console/supervisor/absences/remove": row(LOGIN, LOGIN, 403, OK, 403, 403, OK),
    # The admin pages (web/admin_pages.py, web/admin_staff.py): admins only, the others a
    # 403 page. Each save sends the settings as they stand (changing nothing), a new
    # account of its own, or the target account as it is.
    "workflow GET /console/admin":                       row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/units":                 row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/units":                row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/routing":               row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/routing":              row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/sla":                   row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/sla":                  row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/closures":              row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/closures":             row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/history":               row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/staff":                 row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/staff":                row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow GET /console/admin/staff/{staff_id}":      row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/staff/{staff_id}":     row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/staff/{staff_id}/active":row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "workflow POST /console/admin/staff/{staff_id}/password":row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    # ---- notifications: operational endpoints
    "notifications GET /openapi.json":                   row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /asyncapi.json":                  row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /docs":                           row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /docs/oauth2-redirect":           row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /redoc":                          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /healthz":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /readyz":                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "notifications GET /metrics":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- notifications: the template previews, for admins signed in at the console
    "notifications GET /admin/templates":                row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "notifications GET /admin/templates/{name}":         row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    "notifications GET /admin/templates/{name}/email":   row(LOGIN, LOGIN, 403, 403, 403, 403, OK),
    # ---- reporting: operational endpoints
    "reporting GET /openapi.json":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /asyncapi.json":                      row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /docs":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /docs/oauth2-redirect":               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /redoc":                              row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /healthz":                            row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /readyz":                             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /metrics":                            row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- reporting: reports (staff and supervisors: their own unit; the rest: every unit)
    "reporting GET /v1/reports/summary":                 row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/timeseries":              row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/sla":                     row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/satisfaction":            row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/stages":                  row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/statuses":                row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting GET /v1/reports/notifications":           row(401, 401, OK,  OK,  OK,  OK,  OK),
    "reporting POST /v1/admin/rebuild":                  row(401, 401, 403, 403, 403, 403, OK),
    "reporting GET /v1/public/transparency":             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "reporting GET /transparency":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # The pages take the console's session cookie; without one: to the console's sign-in
    # (and back). The old paste-a-token address leads there too.
    "reporting GET /dashboard/sign-in":                  row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "reporting GET /dashboard":                          row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "reporting GET /reports/ita":                        row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    # The participation report (2.6): every signed-in role reads it, office-wide; the
    # public one (small counts hidden, published outcomes only) needs no sign-in.
    "reporting GET /reports/participation":              row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "reporting GET /transparency/participation":         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- participation: operational endpoints
    "participation GET /openapi.json":                   row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /asyncapi.json":                  row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /docs":                           row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /docs/oauth2-redirect":           row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /redoc":                          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /healthz":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /readyz":                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /metrics":                        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- participation: consultations (admins and coordinators run them; other staff read)
    "participation POST /v1/consultations":              row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/consultations":               row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/consultations/{consultation_id}":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PUT /v1/consultations/{consultation_id}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/consultations/{consultation_id}/commands/{command}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/consultations/{consultation_id}/opinions":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PUT /v1/consultations/{consultation_id}/opinions/{opinion_id}/themes":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # The person's contact details (left with consent; each read is logged).
    "participation GET /v1/consultations/{consultation_id}/opinions/{opinion_id}/contact":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/outcomes":                   row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/outcomes":                    row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/outcomes/{outcome_id}":       row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PATCH /v1/outcomes/{outcome_id}":     row(401, 401, 403, 403, 403, OK,  OK),
    # The mission plan: every member of staff reads it, an admin changes it; a
    # coordinator adds and changes items (the consultations hang on them).
    "participation GET /v1/missions":                    row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/missions/{fiscal_year}":      row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PUT /v1/missions/{fiscal_year}":      row(401, 401, 403, 403, 403, 403, OK),
    "participation PUT /v1/missions/{fiscal_year}/items/{code}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # Committees (2.3): admins and coordinators appoint and change them; staff read.
    "participation POST /v1/committees":                 row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/committees":                  row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/committees/{committee_id}":   row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/committees/{committee_id}/members":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/committees/{committee_id}/members/{member_id}/retire":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # A committee's papers and meetings (2.3): admins and coordinators record them; staff
    # read; a committee member reads their own committee's (the caller is seated on the
    # fixture committee; another committee's answers 404).
    "participation POST /v1/committees/{committee_id}/orders":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/committees/{committee_id}/orders":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/committees/{committee_id}/orders/{order_id}/document":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/committees/{committee_id}/meetings":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/committees/{committee_id}/meetings":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/committees/{committee_id}/meetings/{meeting_id}":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PUT /v1/committees/{committee_id}/meetings/{meeting_id}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/committees/{committee_id}/meetings/{meeting_id}/close":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # Reviews of performance (2.1): admins and coordinators run them; staff read.
    "participation POST /v1/reviews":                    row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/reviews":                     row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/reviews/{review_id}":         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/reviews/{review_id}/hold":   row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/reviews/{review_id}/report": row(401, 401, 403, 403, 403, OK,  OK),
    # Their staff pages (the console's cookie session; forms carry their CSRF token).
    "participation GET /staff/committees":               row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation GET /staff/committees/{committee_id}":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/committees/{committee_id}/orders":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/committees/{committee_id}/meetings":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/committees/{committee_id}/meetings/{meeting_id}":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/committees/{committee_id}/meetings/{meeting_id}/close":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/reviews":                  row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/reviews":                 row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/reviews/{review_id}":      row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/reviews/{review_id}/{command}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # The coordinator's pages for the plan, committees, consultations and outcomes: every
    # member of staff reads them, admins and coordinators use their forms.
    "participation GET /staff/missions":                 row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/missions/{fiscal_year}/items":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/missions/{fiscal_year}/items/{code}":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/missions/{fiscal_year}/items/{code}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/committees":              row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/committees/{committee_id}/members":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/committees/{committee_id}/members/{member_id}/retire":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/consultations":            row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/consultations":           row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/consultations/{consultation_id}":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/consultations/{consultation_id}/{command}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/consultations/{consultation_id}/opinions":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/consultations/{consultation_id}/opinions/{opinion_id}/themes":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/outcomes":                 row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/outcomes":                row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/outcomes/{outcome_id}":    row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/outcomes/{outcome_id}":   row(401, 401, 403, 403, 403, OK,  OK),
    # ---- participation: mission satisfaction surveys (2.5): admins and coordinators run
    # them and send the signed links; every member of staff reads results and the words.
    "participation POST /v1/mission-surveys":            row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/mission-surveys":             row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/mission-surveys/{survey_id}": row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation PUT /v1/mission-surveys/{survey_id}": row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /v1/mission-surveys/{survey_id}/commands/{command}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /v1/mission-surveys/{survey_id}/texts":
                                                         row(401, 401, OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/mission-surveys/{survey_id}/links":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation GET /staff/mission-surveys":          row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation GET /staff/mission-surveys/{survey_id}":
                                                         row(LOGIN, LOGIN, OK,  OK,  OK,  OK,  OK),
    "participation POST /staff/mission-surveys":         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/mission-surveys/{survey_id}/links":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    "participation POST /staff/mission-surveys/{survey_id}/{command}":
                                                         row(401, 401, 403, 403, 403, OK,  OK),
    # Answered by anyone through the public link (a signed link: its token, once).
    "participation GET /v1/public/mission-surveys/{survey_id}":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/public/mission-surveys/{survey_id}/responses":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /mission-surveys/{survey_id}":    row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation POST /mission-surveys/{survey_id}":   row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/stakeholder-groups":          row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    # ---- participation: public (what is open or published; an opinion by anyone)
    "participation GET /v1/public/consultations":        row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/public/consultations/{consultation_id}":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation POST /v1/public/consultations/{consultation_id}/opinions":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /v1/public/outcomes":             row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /":                               row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /consultations":                  row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /consultations/{consultation_id}":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation POST /consultations/{consultation_id}":
                                                         row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /you-said-we-did":                row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "participation GET /missions":                       row(OK,  OK,  OK,  OK,  OK,  OK,  OK),
}
# fmt: on
