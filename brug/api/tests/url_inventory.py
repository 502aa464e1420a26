"""Every URL of Brug and every API operation, with who may use it.

``brug/api/tests/test_inventory.py`` fails when a URL pattern or an API
operation is missing here, when an entry here no longer exists, and when a
non-public entry answers an anonymous request with anything but a refusal
(API: 401; pages: a redirect to the login page, 401, 403, 404 or 405).

How to add an entry
-------------------
- A page or fragment: its URL name with namespace, ``"posts:detail"``.
- An unnamed pattern: ``"route:<the full route>"``.
- An API operation: ``"<METHOD> /api/v1/<path with {params}>"``, exactly as
  the failing test prints it.
- Wildcards: a key ending in ``*`` covers every key it prefixes (only for
  whole subsystems such as the Django admin).

The value is the permission rule: one of ``RULES`` below, optionally followed
by ``": "`` and the precise condition, e.g.
``"authenticated: can_read_space (hidden and missing both 404)"``. Write the
rule the code enforces (in ``brug/permissions/``), not the one you hope for,
and make sure a test covers both sides of it.
"""

RULES = {
    "public": "anyone, also without signing in",
    "authenticated": "any signed-in person (guests included); object rules in brug/permissions/",
    "member": "signed-in members (not guests)",
    "community_manager": "community managers and admins",
    "admin": "admins",
    "staff": "Django admin staff",
}

INVENTORY = {
    # Site --------------------------------------------------------------------
    "home": "authenticated: redirects to the home feed",
    "healthz": "public: database liveness for load balancers",
    "set_language": "public: Django's language switch",
    "admin:*": "staff: the Django admin",
    "admin:login": "public: the Django admin's sign-in",
    "admin:logout": "public: the Django admin's sign-out",
    "route:admin/*": "staff: the Django admin",
    # API: schema and docs ----------------------------------------------------
    "api:openapi-json": "public: the OpenAPI schema",
    "api:openapi-view": "public: the interactive docs",
    "api:api-root": "public: ninja's root (404)",
    "api-not-found": "public: JSON 404 for unknown API paths",
    "api-stream": "authenticated: SSE of events the viewer may see",
    # API: me, teams, organisations, tokens -----------------------------------
    "GET /api/v1/me": "authenticated: the caller",
    "PATCH /api/v1/me": "authenticated: the caller's own profile",
    "GET /api/v1/teams": "authenticated: filter_visible_teams",
    "GET /api/v1/organisations": "authenticated: filter_visible_organisations",
    "GET /api/v1/me/tokens": "authenticated: the caller's own tokens",
    "POST /api/v1/me/tokens": "authenticated: for the caller",
    "DELETE /api/v1/me/tokens/{token_id}": "authenticated: own tokens only (others 404)",
    # API: people -------------------------------------------------------------
    "POST /api/v1/people": "admin: can_manage_people",
    "GET /api/v1/people": "authenticated: filter_visible_people",
    "GET /api/v1/people/{person_id}": "authenticated: check_can_see_person",
    "GET /api/v1/people/{person_id}/photo": "authenticated: check_can_see_person",
    "POST /api/v1/me/photo": "authenticated: the caller's own photo",
    "DELETE /api/v1/me/photo": "authenticated: the caller's own photo",
    "GET /api/v1/invitations": "community_manager: filter_visible_invitations",
    "POST /api/v1/invitations": "community_manager: can_invite_people (managers: own organisation)",
    "POST /api/v1/invitations/{invitation_id}/revoke": "community_manager: filter_visible_invitations (others 404)",
    # API: spaces -------------------------------------------------------------
    "GET /api/v1/spaces": "authenticated: filter_visible_spaces",
    "POST /api/v1/spaces": "member: may create spaces",
    "GET /api/v1/spaces/{space_id}": "authenticated: check_can_see_space",
    "PATCH /api/v1/spaces/{space_id}": "authenticated: check_can_administer_space",
    "GET /api/v1/spaces/{space_id}/cover": "authenticated: check_can_see_space",
    "POST /api/v1/spaces/{space_id}/cover": "authenticated: check_can_administer_space",
    "DELETE /api/v1/spaces/{space_id}/cover": "authenticated: check_can_administer_space",
    "POST /api/v1/spaces/{space_id}/join": "member: can_join_space",
    "POST /api/v1/spaces/{space_id}/leave": "authenticated: members of the space",
    "POST /api/v1/spaces/{space_id}/mute": "authenticated: members of the space",
    "GET /api/v1/spaces/{space_id}/members": "authenticated: check_can_read_space",
    "POST /api/v1/spaces/{space_id}/members": "authenticated: check_can_manage_members",
    "PATCH /api/v1/spaces/{space_id}/members/{person_id}": "authenticated: check_can_manage_members",
    "DELETE /api/v1/spaces/{space_id}/members/{person_id}": "authenticated: check_can_manage_members",
    "GET /api/v1/spaces/{space_id}/join-requests": "authenticated: check_can_manage_members",
    "POST /api/v1/spaces/{space_id}/join-requests": "member: can_request_to_join",
    "DELETE /api/v1/spaces/{space_id}/join-requests/mine": "authenticated: own request",
    "POST /api/v1/spaces/{space_id}/join-requests/{request_id}/{decision}": "authenticated: check_can_manage_members",
    "POST /api/v1/spaces/{space_id}/invitations": "authenticated: can_invite_to_space",
    "GET /api/v1/space-invitations": "authenticated: own invitations",
    "POST /api/v1/space-invitations/{invitation_id}/accept": "authenticated: the invitee",
    "POST /api/v1/space-invitations/{invitation_id}/decline": "authenticated: the invitee",
    "POST /api/v1/teams/{team_id}/space": "authenticated: team space rules in permissions/spaces",
    # API: posts --------------------------------------------------------------
    "GET /api/v1/spaces/{space_id}/posts": "authenticated: check_can_read_space",
    "POST /api/v1/spaces/{space_id}/posts": "authenticated: check_can_post",
    "POST /api/v1/posts": "authenticated: own profile posts",
    "GET /api/v1/feed": "authenticated: filter_visible_posts",
    "GET /api/v1/people/{person_id}/posts": "authenticated: check_can_see_person + filter_visible_posts",
    "GET /api/v1/posts/{post_id}": "authenticated: check_can_read_post",
    "PATCH /api/v1/posts/{post_id}": "authenticated: check_can_edit_post",
    "DELETE /api/v1/posts/{post_id}": "authenticated: check_can_delete_post",
    "GET /api/v1/posts/{post_id}/revisions": "authenticated: check_can_read_post",
    "POST /api/v1/posts/{post_id}/pin": "authenticated: can_moderate_post",
    "DELETE /api/v1/posts/{post_id}/pin": "authenticated: can_moderate_post",
    "GET /api/v1/posts/{post_id}/comments": "authenticated: check_can_read_post",
    "POST /api/v1/posts/{post_id}/comments": "authenticated: check_can_comment",
    "PATCH /api/v1/comments/{comment_id}": "authenticated: check_can_edit_comment",
    "DELETE /api/v1/comments/{comment_id}": "authenticated: check_can_delete_comment",
    "POST /api/v1/posts/{post_id}/reactions": "authenticated: check_can_read_post",
    "DELETE /api/v1/posts/{post_id}/reactions/{kind}": "authenticated: own reaction",
    "POST /api/v1/comments/{comment_id}/reactions": "authenticated: can_read_comment",
    "DELETE /api/v1/comments/{comment_id}/reactions/{kind}": "authenticated: own reaction",
    "GET /api/v1/mentions": "authenticated: people who may read the space",
    "POST /api/v1/people/{person_id}/follow": "authenticated: check_can_see_person",
    "DELETE /api/v1/people/{person_id}/follow": "authenticated: own follow",
    "POST /api/v1/attachments": "authenticated: uploads for own posts",
    # API: notifications ------------------------------------------------------
    "GET /api/v1/notifications": "authenticated: own notifications, filter_visible_notifications",
    "POST /api/v1/notifications/read": "authenticated: own notifications (others ignored)",
    "GET /api/v1/notifications/preferences": "authenticated: own preferences",
    "PUT /api/v1/notifications/preferences": "authenticated: own preferences",
    # API: search -------------------------------------------------------------
    "GET /api/v1/search": "authenticated: visible_documents_condition (only what the viewer may read)",
    # Pages: people -----------------------------------------------------------
    "people:login": "public",
    "people:logout": "public: signs out (POST)",
    "people:password-reset": "public: does not reveal whether an address exists",
    "people:password-reset-done": "public",
    "people:password-reset-confirm": "public: needs a valid reset token",
    "people:password-reset-complete": "public",
    "people:language": "public: remembered per person when signed in",
    "people:directory": "authenticated: filter_visible_people",
    "people:invitations": "community_manager: can_invite_people",
    "people:invitation-revoke": "community_manager: can_invite_people",
    "people:profile": "authenticated: check_can_see_person",
    "people:photo": "authenticated: check_can_see_person",
    "people:profile-edit": "authenticated: own profile",
    "people:welcome": "authenticated: onboarding",
    "people:invitation-accept": "public: needs a valid invitation token",
    # Pages: spaces -----------------------------------------------------------
    "spaces:list": "authenticated: filter_visible_spaces",
    "spaces:create": "member: may create spaces",
    "spaces:team-spaces": "authenticated: filter_visible_spaces",
    "spaces:invitations": "authenticated: own invitations",
    "spaces:invitation-decide": "authenticated: the invitee",
    "spaces:detail": "authenticated: check_can_see_space",
    "spaces:cover": "authenticated: check_can_see_space",
    "spaces:join": "member: can_join_space",
    "spaces:leave": "authenticated: members of the space",
    "spaces:request": "member: can_request_to_join",
    "spaces:request-cancel": "authenticated: own request",
    "spaces:mute": "authenticated: members of the space",
    "spaces:settings": "authenticated: check_can_administer_space",
    "spaces:members": "authenticated: check_can_read_space",
    "spaces:member-add": "authenticated: check_can_manage_members",
    "spaces:invite-candidates": "authenticated: check_can_manage_members",
    "spaces:member-role": "authenticated: check_can_manage_members",
    "spaces:member-remove": "authenticated: check_can_manage_members",
    "spaces:requests": "authenticated: check_can_manage_members",
    "spaces:request-decide": "authenticated: check_can_manage_members",
    # Pages: posts ------------------------------------------------------------
    "posts:home": "authenticated: filter_visible_posts",
    "posts:create": "authenticated: check_can_post",
    "posts:mentions": "authenticated: people who may read the space",
    "posts:space-feed": "authenticated: check_can_read_space",
    "posts:person": "authenticated: check_can_see_person + filter_visible_posts",
    "posts:follow": "authenticated: check_can_see_person",
    "posts:detail": "authenticated: check_can_read_post",
    "posts:edit": "authenticated: check_can_edit_post",
    "posts:history": "authenticated: check_can_read_post",
    "posts:delete": "authenticated: check_can_delete_post",
    "posts:pin": "authenticated: can_moderate_post",
    "posts:react": "authenticated: check_can_read_post",
    "posts:comment-create": "authenticated: check_can_comment",
    "posts:comment-edit": "authenticated: check_can_edit_comment",
    "posts:comment-delete": "authenticated: check_can_delete_comment",
    "posts:comment-react": "authenticated: can_read_comment",
    "posts:attachment": "authenticated: check_can_read_post of the attachment's post",
    "posts:thumbnail": "authenticated: check_can_read_post of the attachment's post",
    # Pages: notifications, search, realtime ----------------------------------
    "notifications:list": "authenticated: own notifications",
    "notifications:menu": "authenticated: own notifications",
    "notifications:read-all": "authenticated: own notifications",
    "notifications:preferences": "authenticated: own preferences",
    "notifications:space-mute": "authenticated: members of the space",
    "notifications:unsubscribe": "public: needs a valid signed token",
    "notifications:open": "authenticated: own notification (others 404)",
    "notifications:read": "authenticated: own notification (others 404)",
    "search:results": "authenticated: only what the viewer may read",
    "realtime:stream": "authenticated: SSE of events the viewer may see",
}
