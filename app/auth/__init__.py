"""People and machines: users with roles and brands, password sign-in, API tokens.

* Roles (:mod:`app.auth.roles`): ``marketer`` submits and follows briefs, ``reviewer`` decides on
  drafts, ``compliance`` clears or sends back what the gate blocked, ``admin`` manages users, tokens
  and brands. A user may hold several roles and belongs to one or more brands (``*``: every brand).
* People sign in with a password (argon2id) and get a server-side session: the cookie holds a random
  value whose SHA-256 is the session's key, so a stolen database gives no usable cookie, and signing
  out ends the session everywhere. Each session has its own CSRF token, checked on every POST.
* Machines use API tokens: random, shown once, stored as SHA-256, scoped to brands and roles (never
  more than the user holds), expiring and revocable.
"""
