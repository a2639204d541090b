from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from krabuan.org.models import Membership, Position, Unit, UnitKind

PASSWORD = "pass-Krabuan-2567"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")
    kind = UnitKind.GROUP


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"ตำแหน่งทดสอบ {n}")
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "ทดสอบ"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


def membership_add(*, user, role: str, unit: Unit | None = None) -> Membership:
    unit = unit or UnitFactory(
        code="ict", name="ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", short_name="ศทส.", kind=UnitKind.DIVISION
    )
    return Membership.objects.create(user=user, unit=unit, role=role)
