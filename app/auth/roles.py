"""Roles, what each may do, and the acting principal (a signed-in person or an API token).

The permission table is the single source of truth: the API and the pages both ask
``principal.can(permission)``, and the permission-matrix test walks it route by route.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ALL_BRANDS = "*"


class Role(StrEnum):
    marketer = "marketer"
    reviewer = "reviewer"
    compliance = "compliance"
    admin = "admin"
    prompt_engineer = "prompt_engineer"
    # A machine's role: a CMS or analytics tool that sends performance events and asks which variant to show.
    analytics = "analytics"


class Permission(StrEnum):
    read_briefs = "read_briefs"
    submit_briefs = "submit_briefs"
    request_changes = "request_changes"
    review = "review"
    compliance = "compliance"
    read_deliveries = "read_deliveries"
    retry_deliveries = "retry_deliveries"
    manage_users = "manage_users"
    manage_brands = "manage_brands"
    read_prompts = "read_prompts"
    manage_prompts = "manage_prompts"
    add_eval_cases = "add_eval_cases"
    verify_audit = "verify_audit"
    send_events = "send_events"
    read_performance = "read_performance"
    retract_content = "retract_content"
    withdraw_claims = "withdraw_claims"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.marketer: frozenset({Permission.read_briefs, Permission.submit_briefs, Permission.request_changes,
                              Permission.read_prompts, Permission.read_performance}),
    # A reviewer who rejects copy can turn the rejection into a regression case for the prompt team.
    Role.reviewer: frozenset({Permission.read_briefs, Permission.request_changes, Permission.review,
                              Permission.read_deliveries, Permission.read_prompts, Permission.add_eval_cases,
                              Permission.read_performance, Permission.retract_content}),
    Role.compliance: frozenset({Permission.read_briefs, Permission.request_changes, Permission.compliance,
                                Permission.read_deliveries, Permission.retry_deliveries, Permission.read_prompts,
                                Permission.verify_audit, Permission.read_performance, Permission.retract_content,
                                Permission.withdraw_claims}),
    # Admins run the desk (people, tokens, brands, stuck deliveries); they do not decide on copy.
    Role.admin: frozenset({Permission.read_briefs, Permission.read_deliveries, Permission.retry_deliveries,
                           Permission.manage_users, Permission.manage_brands, Permission.read_prompts,
                           Permission.verify_audit, Permission.read_performance}),
    # Prompt engineers move prompt labels (what production runs) and grow the eval suites; no copy decisions.
    Role.prompt_engineer: frozenset({Permission.read_briefs, Permission.read_prompts, Permission.manage_prompts,
                                     Permission.add_eval_cases, Permission.read_performance}),
    # Reviewers revoke approvals and compliance retracts clearances (retract_content); compliance withdraws claims.
    Role.analytics: frozenset({Permission.send_events, Permission.read_performance}),
}

HOME_BY_ROLE: tuple[tuple[Role, str], ...] = (
    (Role.reviewer, "/ui/review"), (Role.compliance, "/ui/compliance"), (Role.prompt_engineer, "/ui/prompts"),
    (Role.marketer, "/ui/briefs"), (Role.admin, "/ui/admin"),
)


@dataclass(frozen=True)
class Principal:
    """Who acts: ``username`` is the audit actor; roles and brands are already narrowed to a token's scope."""

    user_id: str
    username: str
    display_name: str
    roles: frozenset[Role]
    brands: frozenset[str]
    via: str  # "session" or "token"
    csrf_token: str | None = None

    def can(self, permission: Permission) -> bool:
        return any(permission in ROLE_PERMISSIONS[r] for r in self.roles)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def sees_every_brand(self) -> bool:
        return ALL_BRANDS in self.brands

    def may_move_prompt_labels(self) -> bool:
        """Prompts are shared by every brand: moving a label changes what all of them run, so it takes a
        prompt engineer of every brand, never one (or a token) limited to some brands."""
        return self.can(Permission.manage_prompts) and self.sees_every_brand

    def sees(self, brand: str) -> bool:
        return ALL_BRANDS in self.brands or brand in self.brands

    def brand_filter(self) -> list[str] | None:
        """The brands to filter lists by, or None for every brand."""
        return None if ALL_BRANDS in self.brands else sorted(self.brands)

    @property
    def home(self) -> str:
        return next((path for role, path in HOME_BY_ROLE if role in self.roles), "/ui/briefs")


def parse_roles(values: list[str]) -> list[Role]:
    """Roles from strings; ValueError names the unknown ones."""
    unknown = [v for v in values if v not in Role.__members__]
    if unknown:
        raise ValueError(f"unknown roles {unknown}; choose from {[r.value for r in Role]}")
    return [Role(v) for v in dict.fromkeys(values)]
