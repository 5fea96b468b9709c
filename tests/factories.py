"""factory_boy builders for organisations and people. App factories live beside their tests."""

import factory

from sendplan.models import LocalAuthority, Membership, Role, School, User

TEST_PASSWORD = "correct-horse-battery"


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Test Council {n}")
    code = factory.Sequence(lambda n: f"{800 + n:03d}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    urn = factory.Sequence(lambda n: f"{200000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    phase = School.Phase.PRIMARY
    school_type = School.Type.COMMUNITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.SENCO
    school = factory.SubFactory(SchoolFactory)
    local_authority = None
