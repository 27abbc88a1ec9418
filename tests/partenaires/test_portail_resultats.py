import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_le_partenaire_passe_de_sa_fiche_a_ses_resultats(client, monde):
    client.force_login(monde.user_partenaire_a)
    page = client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk]))
    lien = reverse("evaluation:resultats_fiche", args=[monde.fiche_1a.pk])
    assert page.status_code == 200 and lien in page.text
    assert client.get(lien).status_code == 200
    # Not a fiche its organisation takes part in.
    assert (
        client.get(reverse("evaluation:resultats_fiche", args=[monde.fiche_1b.pk])).status_code
        == 404
    )
