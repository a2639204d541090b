from krabuan.org.models import Membership, Position, Unit
from krabuan.org.services.demo import demo_org_load


def test_demo_org_load_is_idempotent(db):
    first = demo_org_load()
    second = demo_org_load()
    assert first == second
    assert Unit.objects.get(code="ict").parent.code == "opsmoac"
    assert Unit.objects.filter(parent__code="ict").count() == 5
    assert Position.objects.count() == first["positions"]
    assert Membership.objects.filter(user__username="director", role="director").count() == 1
