"""Requests carrying input no database can store, or that names no known value: each must answer 422.

Shared by the SQLite unit test and the PostgreSQL integration test. The first seven are the inputs the issue
found answering HTTP 500 on PostgreSQL; the rest are other requests of the same kinds (a NUL elsewhere, an
integer past 64 bits elsewhere, another unknown state) so that the fix is by kind, not by route.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

BRIEF = {"brand": "fernhill", "channels": ["linkedin"], "n_ideas": 1, "n_variants": 1,
         "audience": "evening tea drinkers", "goal": "launch", "key_message": "caffeine-free"}
HUGE = "100000000000000000000"  # 10**20: past the signed 64-bit range (about 9.2 * 10**18)


@dataclass(frozen=True)
class BadInput:
    name: str
    method: str
    path: str
    json: object = None
    form: dict[str, str] | None = None

    @property
    def page(self) -> bool:
        return self.path.startswith("/ui/")


BAD_INPUTS = [
    BadInput("nul_in_a_brief_field", "POST", "/briefs", json={**BRIEF, "audience": "tea\x00drinkers"}),
    BadInput("nul_in_a_path_id", "GET", "/briefs/abc%00def"),
    BadInput("nul_in_a_filter", "GET", "/briefs?brand=a%00b"),
    BadInput("unknown_state_filter", "GET", "/briefs?state=bogus"),
    BadInput("unknown_state_filter_on_the_desk", "GET", "/ui/briefs?state=bogus"),
    BadInput("huge_offset_on_the_desk", "GET", f"/ui/briefs?offset={HUGE}"),
    BadInput("huge_offset_in_the_api", "GET", f"/briefs?offset={HUGE}"),
    # the same kinds elsewhere
    BadInput("nul_in_a_json_key", "POST", "/briefs", json={**BRIEF, "note\x00": "x"}),
    BadInput("nul_in_a_list_item", "POST", "/briefs", json={**BRIEF, "channels": ["linked\x00in"]}),
    BadInput("nul_in_a_variant_id", "GET", "/variants/v%00x/candidates"),
    BadInput("nul_in_a_query_name", "GET", "/briefs?br%00and=fernhill"),
    BadInput("nul_in_a_desk_form", "POST", "/ui/briefs/new", form={**{k: str(v) for k, v in BRIEF.items()
                                                                     if k != "channels"}, "channels": "linkedin",
                                                                  "goal": "launch\x00"}),
    BadInput("huge_integer_in_a_json_body", "POST", "/briefs", json={**BRIEF, "n_ideas": 10**20}),
    BadInput("huge_offset_on_the_publishing_desk", "GET", f"/ui/publishing?offset={HUGE}"),
    BadInput("huge_finding_id", "POST", f"/variants/abc/findings/{HUGE}/override", json={"reason": "fine"}),
    BadInput("unknown_delivery_state", "GET", "/deliveries?state=lost"),
]


def assert_refused_as_invalid_input(case: BadInput, status: int, body: bytes, content_type: str) -> None:
    """422; on the API the documented JSON error ``{code: invalid_input, message}``, on the desk an error page."""
    assert status == 422, f"{case.name}: {status} {body[:300]!r}"
    if case.page:
        assert content_type.startswith("text/html"), case.name
    else:
        error = json.loads(body)
        assert error["code"] == "invalid_input" and error["message"], (case.name, error)
