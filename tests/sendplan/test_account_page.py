"""'Your account' shows who is signed in and leads to the password as well as to MFA."""

from django.urls import reverse


def test_your_account_shows_the_email_and_links_to_change_the_password(senco_a, senco_a_user):
    response = senco_a.get(reverse("mfa_index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Your account" in page
    assert senco_a_user.email in page
    assert reverse("account_change_password") in page
    assert "Two-factor authentication" in page
