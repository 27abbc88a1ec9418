"""« Je confirme »: a partner confirms its commitment on a fiche, dated, from the portal; the staff
see the date in the fiche, a copy of the fiche starts without it."""

import pytest
from django.urls import reverse

from actions.models import PartenariatAction

pytestmark = pytest.mark.django_db


def engagement(monde, fiche=None):
    return PartenariatAction.objects.get(fiche=fiche or monde.fiche_1a)


def test_le_partenaire_confirme_son_engagement_date(client, monde):
    client.force_login(monde.user_partenaire_a)
    page = client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).text
    assert "Je confirme l'engagement de Mission locale" in page
    reponse = client.post(reverse("portail:confirmer", args=[monde.fiche_1a.pk]))
    assert reponse.url == reverse("portail:fiche", args=[monde.fiche_1a.pk])
    lien = engagement(monde)
    assert lien.confirme_le is not None and lien.confirme_par == monde.user_partenaire_a
    page = client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).text
    assert "Mission locale a confirmé son engagement sur cette action le" in page
    assert "Je confirme" not in page

    # Confirming again keeps the first date.
    premiere = lien.confirme_le
    client.post(reverse("portail:confirmer", args=[monde.fiche_1a.pk]))
    assert engagement(monde).confirme_le == premiere

    # The staff see it in the fiche.
    client.force_login(monde.equipe_1)
    page = client.get(reverse("actions:detail", args=[monde.fiche_1a.pk])).text
    assert "Engagement confirmé le" in page


def test_un_autre_partenaire_ne_confirme_pas_et_rien_ne_change(client, monde):
    client.force_login(monde.user_partenaire_b)
    reponse = client.post(reverse("portail:confirmer", args=[monde.fiche_1a.pk]))
    assert reponse.status_code == 404
    assert engagement(monde).confirme_le is None


def test_la_copie_d_une_fiche_attend_une_nouvelle_confirmation(monde):
    engagement(monde).confirmer(monde.user_partenaire_a)
    copie = monde.fiche_1a.copier()
    assert copie.partenariats.get().confirme_le is None
    assert engagement(monde).confirme_le is not None
