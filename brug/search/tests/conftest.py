"""A small bilingual corpus over the permission matrix, indexed by running the jobs.

Spaces (from the shared fixtures): ``space`` (open), ``private_space``,
``secret_space``, each with owner, moderator and member; the guest is a
member of the private space only; ``partner_space`` is an open space of the
other organisation (the stranger's).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from brug.core import jobs
from brug.posts import actions as posts
from brug.search.tests.helpers import Corpus, index_people
from brug.spaces.actions import _add_membership, create_space
from brug.spaces.enums import SpaceRole


@pytest.fixture
def run_jobs():
    return lambda: jobs.run_pending()


@pytest.fixture
def corpus(
    organisation,
    owner,
    member,
    moderator,
    outsider,
    stranger,
    guest,
    community_manager,
    admin_user,
    space,
    private_space,
    secret_space,
):
    _add_membership(space=private_space, person=guest, role=SpaceRole.MEMBER)
    partner_space = create_space(creator=stranger, name="Partnerschap en samenwerking")
    open_post = posts.create_post(
        author=member,
        space=space,
        title="Samenwerking met de wijkverpleging",
        body="We zoeken een betere samenwerking tussen de zorgteams en de wijkverpleging.",
        rate_limit=False,
    )
    upload = SimpleUploadedFile(
        "Samenwerkingsplan wijkteams.txt", b"Plan voor de wijkteams\n", content_type="text/plain"
    )
    attachment = posts.add_attachment(uploader=owner, upload=upload, rate_limit=False)
    english_post = posts.create_post(
        author=owner,
        space=space,
        title="Collaborating across teams",
        body="Our collaboration with the municipality improves every handover between teams.",
        attachments=[attachment],
        rate_limit=False,
    )
    private_post = posts.create_post(
        author=owner,
        space=private_space,
        title="Vertrouwelijk",
        body="De samenwerkingen met leveranciers worden herzien.",
        rate_limit=False,
    )
    secret_post = posts.create_post(
        author=owner,
        space=secret_space,
        title="Reorganisatie",
        body="Geheime samenwerking tussen de afdelingen en the collaboration board.",
        rate_limit=False,
    )
    profile_post = posts.create_post(
        author=member,
        space=None,
        kind="work_out_loud",
        body="Working out loud: collaborating on the onboarding checklist for nieuwe collega's.",
        rate_limit=False,
    )
    partner_post = posts.create_post(
        author=stranger,
        space=partner_space,
        body="Samenwerking met onze partners in de regio.",
        rate_limit=False,
    )
    comment = posts.create_comment(
        author=moderator,
        post=open_post,
        body="Goede samenwerking begint met een gesprek; ik help graag.",
        rate_limit=False,
    )
    script_post = posts.create_post(
        author=member,
        space=space,
        body="Pas op met <script>alert('xss')</script> in het beveiligingsbeleid.",
        rate_limit=False,
    )
    jobs.run_pending()
    index_people(owner, member, moderator, outsider, stranger, guest, community_manager, admin_user)
    return Corpus(
        space=space,
        private_space=private_space,
        secret_space=secret_space,
        partner_space=partner_space,
        open_post=open_post,
        english_post=english_post,
        private_post=private_post,
        secret_post=secret_post,
        profile_post=profile_post,
        partner_post=partner_post,
        comment=comment,
        attachment=attachment,
        script_post=script_post,
    )
