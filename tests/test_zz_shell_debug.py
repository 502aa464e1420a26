import pytest
from brug.people.models import Organisation

@pytest.mark.parametrize("n", [1, 2])
def test_x(live_server_url, n):
    from django.db import connection
    print("has", hasattr(connection, "_test_serialized_contents"), Organisation.objects.count(), connection.settings_dict["NAME"])
    assert Organisation.objects.filter(is_default=True).exists()
