"""The desk in the browser: server-rendered Jinja2 pages under ``/ui`` over the same services as the API.

Pages use the API's dependencies (session cookie, roles, brands, CSRF); they post plain HTML forms
and answer with a redirect and a one-time notice. The only script is ``static/desk.js``: live
progress on a brief and the reviewer's keyboard shortcuts.
"""
