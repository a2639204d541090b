from krabuan.kpi.models import Agreement, Kpi
from krabuan.kpi.services.loading import agreement_fixture_load, fixture_path


def test_an_agreement_can_be_deleted_with_its_kpis(demo_org):
    agreement = agreement_fixture_load(path=fixture_path(2566))
    agreement = Agreement.objects.get()
    agreement.delete()
    assert Kpi.objects.count() == 0
