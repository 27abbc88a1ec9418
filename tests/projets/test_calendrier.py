"""The renewal's timeline: dates proposed from the agrément's end, the direction's page, the
reminders e-mailed to the direction (projets/calendrier.py, projets/rappels.py)."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from projets.calendrier import (
    DECALAGES,
    SEUILS_RAPPEL,
    etapes_du_projet,
    prochaines_etapes,
    seuil_de_rappel,
)
from projets.forms.projet import ProjetForm
from projets.models import EtapeRenouvellement, ProjetSocial
from tests.factories import MembreFactory, ProjetSocialFactory, UserFactory

pytestmark = pytest.mark.django_db

Etape = EtapeRenouvellement.Etape
J = datetime.date


def dates(projet):
    return {e.etape: e.date for e in etapes_du_projet(projet)}


def projet_agree(**champs):
    return ProjetSocialFactory(statut=ProjetSocial.Statut.AGREE, **champs)


# --- the dates ---


def test_les_dates_partent_du_31_decembre_de_l_annee_de_fin_sans_date_saisie():
    projet = projet_agree(annee_debut=2025, annee_fin=2028)
    assert dates(projet) == {
        Etape.EVALUATION: J(2027, 12, 31),
        Etape.DIAGNOSTIC: J(2028, 3, 31),
        Etape.ENJEUX: J(2028, 6, 30),
        Etape.VALIDATION: J(2028, 7, 31),
        Etape.ENVOI: J(2028, 8, 31),
        Etape.COMMISSION: J(2028, 9, 30),
    }


@pytest.mark.parametrize(
    "fin, enjeux",
    [(J(2028, 8, 31), J(2028, 2, 29)), (J(2027, 8, 31), J(2027, 2, 28))],
    ids=["bissextile", "non-bissextile"],
)
def test_un_31_devient_le_dernier_jour_de_fevrier(fin, enjeux):
    projet = projet_agree(annee_debut=2024, annee_fin=2027, date_fin_agrement=fin)
    proposees = dates(projet)
    assert proposees[Etape.ENJEUX] == enjeux  # six months before the 31 August
    assert proposees[Etape.EVALUATION] == fin.replace(year=fin.year - 1)
    assert proposees[Etape.ENVOI] == J(fin.year, 4, 30)


def test_une_date_enregistree_remplace_la_date_proposee_et_l_ordre_suit_les_dates():
    projet = projet_agree(annee_debut=2025, annee_fin=2028)
    EtapeRenouvellement.objects.create(
        projet=projet, etape=Etape.VALIDATION, date=J(2028, 9, 15), faite_le=None
    )
    etapes = etapes_du_projet(projet)
    validation = next(e for e in etapes if e.etape == Etape.VALIDATION)
    assert validation.date == J(2028, 9, 15) and validation.enregistree
    assert not next(e for e in etapes if e.etape == Etape.ENVOI).enregistree
    assert [e.etape for e in etapes][-2:] == [Etape.VALIDATION, Etape.COMMISSION]


def test_seuls_les_projets_soumis_ou_agrees_ont_des_prochaines_etapes():
    brouillon = ProjetSocialFactory()
    soumis = ProjetSocialFactory(statut=ProjetSocial.Statut.SOUMIS)
    etapes = prochaines_etapes([brouillon, soumis], aujourdhui=J(2027, 1, 1), limite=2)
    assert [e.projet for e in etapes] == [soumis, soumis]
    assert [e.etape for e in etapes] == [Etape.EVALUATION, Etape.DIAGNOSTIC]


@pytest.mark.parametrize(
    "jours, seuil", [(31, None), (30, 30), (12, 30), (7, 7), (1, 7), (0, 0), (-1, None)]
)
def test_le_rappel_du_est_le_seuil_le_plus_proche_pas_encore_passe(jours, seuil):
    assert SEUILS_RAPPEL == (30, 7, 0)
    assert seuil_de_rappel(jours) == seuil


# --- the agrément's end in the projet's form ---


def donnees_projet(projet, **champs):
    donnees = {
        "titre": projet.titre,
        "annee_debut": projet.annee_debut,
        "annee_fin": projet.annee_fin,
        "date_dossier": "",
        "budget_mention": "",
    }
    return donnees | champs


def test_la_fin_de_l_agrement_se_saisit_dans_le_projet(client):
    membre = MembreFactory(direction=True)
    projet = ProjetSocialFactory(structure=membre.structure)
    client.force_login(membre.user)
    url = reverse("projets:modifier", args=[projet.pk])
    assert 'name="date_fin_agrement"' in client.get(url).text
    reponse = client.post(url, donnees_projet(projet, date_fin_agrement="2028-06-30"))
    assert reponse.status_code == 302
    projet.refresh_from_db()
    assert projet.date_fin_agrement == J(2028, 6, 30)
    assert dates(projet)[Etape.COMMISSION] == J(2028, 3, 30)


@pytest.mark.parametrize(
    "saisie, message",
    [
        ("2208-06-30", "Cette date est trop loin de la période du projet (2025–2028)"),
        ("2024-12-31", "L'agrément ne peut pas finir avant le début du projet (2025)"),
        ("2028-02-30", "Saisissez une date valide."),
    ],
)
def test_une_fin_d_agrement_absurde_est_refusee_et_la_saisie_gardee(client, saisie, message):
    membre = MembreFactory(direction=True)
    projet = ProjetSocialFactory(structure=membre.structure)
    client.force_login(membre.user)
    url = reverse("projets:modifier", args=[projet.pk])
    reponse = client.post(url, donnees_projet(projet, date_fin_agrement=saisie))
    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert any(message in erreur for erreur in form.errors["date_fin_agrement"])
    assert escape(message) in reponse.text
    assert f'value="{saisie}"' in reponse.text
    projet.refresh_from_db()
    assert projet.date_fin_agrement is None


def test_le_formulaire_accepte_une_fin_d_agrement_dans_la_periode_tapee():
    projet = ProjetSocialFactory(annee_debut=2025, annee_fin=2028)
    form = ProjetForm(
        donnees_projet(projet, annee_debut=2029, annee_fin=2032, date_fin_agrement="2032-12-31"),
        instance=projet,
    )
    assert form.is_valid(), form.errors


# --- the page ---


@pytest.fixture
def cal(monde):
    """Structure 1's projet, agréé, with a period around today; its direction has an address."""
    annee = timezone.localdate().year
    ProjetSocial.objects.filter(pk=monde.projet_1.pk).update(
        statut=ProjetSocial.Statut.AGREE, annee_debut=annee - 2, annee_fin=annee + 1
    )
    monde.projet_1.refresh_from_db()
    monde.url = reverse("projets:calendrier", args=[monde.projet_1.pk])
    return monde


def donnees_calendrier(projet, **par_etape):
    """The page's POST: every step as proposed or stored, some changed (`etape=(date, faite)`)."""
    donnees = {}
    for etape in etapes_du_projet(projet):
        jour, faite = par_etape.get(etape.etape, (etape.date.isoformat(), ""))
        donnees[f"{etape.etape}-date"] = jour
        donnees[f"{etape.etape}-faite_le"] = faite
    return donnees


def test_la_direction_voit_les_six_etapes_et_peut_les_dater(client, cal):
    client.force_login(cal.direction_1)
    html = client.get(cal.url).text
    for etape in DECALAGES:
        assert escape(Etape(etape).label) in html
        assert f'name="{etape}-date"' in html and f'name="{etape}-faite_le"' in html
    assert "31 décembre" in html  # the agrément's end it starts from
    assert "12 mois avant la fin de l'agrément" in html
    assert "Enregistrer le calendrier" in html


def test_l_echeance_dit_les_jours_restants_le_retard_et_la_date_faite(client, cal):
    aujourdhui = timezone.localdate()
    projet = cal.projet_1
    for etape, jour, faite in [
        (Etape.EVALUATION, aujourdhui - datetime.timedelta(days=40), aujourdhui),
        (Etape.DIAGNOSTIC, aujourdhui - datetime.timedelta(days=3), None),
        (Etape.ENJEUX, aujourdhui + datetime.timedelta(days=12), None),
    ]:
        EtapeRenouvellement.objects.create(projet=projet, etape=etape, date=jour, faite_le=faite)
    client.force_login(cal.equipe_1)
    html = client.get(cal.url).text
    assert f"faite le {aujourdhui:%d/%m/%Y}" in html
    assert "en retard de 3 jours" in html
    assert "dans 12 jours" in html
    assert "Date enregistrée" in html


def test_l_equipe_lit_le_calendrier_sans_pouvoir_le_modifier(client, cal):
    client.force_login(cal.equipe_1)
    reponse = client.get(cal.url)
    assert reponse.status_code == 200
    assert escape(Etape.COMMISSION.label) in reponse.text
    assert 'name="commission-date"' not in reponse.text
    assert "Seule la direction de la structure fixe les dates" in reponse.text
    refus = client.post(cal.url, donnees_calendrier(cal.projet_1, commission=("2027-01-05", "")))
    assert refus.status_code == 403
    assert not EtapeRenouvellement.objects.exists()


@pytest.mark.parametrize("role", ["equipe_2", "user_partenaire_a", "sans_role"])
def test_une_autre_structure_ou_un_partenaire_recoit_une_404(client, cal, role):
    client.force_login(getattr(cal, role))
    assert client.get(cal.url).status_code == 404
    assert client.post(cal.url, donnees_calendrier(cal.projet_1)).status_code == 404


def test_un_projet_en_brouillon_n_a_pas_de_calendrier(client, monde):
    client.force_login(monde.direction_1)
    html = client.get(reverse("projets:calendrier", args=[monde.projet_1.pk])).text
    assert "il n'a pas de calendrier de renouvellement" in html
    assert "prépare le renouvellement de l'agrément en cours" in html
    assert 'name="evaluation-date"' not in html


def test_la_direction_enregistre_une_date_et_une_etape_faite(client, cal):
    projet = cal.projet_1
    proposees = dates(projet)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    nouvelle = proposees[Etape.COMMISSION] + datetime.timedelta(days=10)
    client.force_login(cal.direction_1)
    donnees = donnees_calendrier(
        projet,
        commission=(nouvelle.isoformat(), ""),
        evaluation=(proposees[Etape.EVALUATION].isoformat(), hier.isoformat()),
    )
    reponse = client.post(cal.url, donnees, follow=True)
    assert "Le calendrier du renouvellement a été enregistré." in reponse.text
    stockees = {e.etape: e for e in EtapeRenouvellement.objects.filter(projet=projet)}
    # Only what the direction changed is stored: the other steps keep following the end date.
    assert set(stockees) == {Etape.COMMISSION, Etape.EVALUATION}
    assert stockees[Etape.COMMISSION].date == nouvelle
    assert stockees[Etape.EVALUATION].faite_le == hier
    assert f"faite le {hier:%d/%m/%Y}" in reponse.text


@pytest.mark.parametrize(
    "champ, saisie, message",
    [
        ("commission-date", "2208-09-30", "Cette date est trop loin de la période du projet"),
        ("commission-date", "2027-02-30", "Cette date n'existe pas"),
        ("commission-date", "", "Indiquez la date prévue de cette étape."),
        ("evaluation-faite_le", "2099-01-01", "Cette date est dans le futur"),
    ],
)
def test_une_date_refusee_a_son_message_et_la_saisie_reste(client, cal, champ, saisie, message):
    client.force_login(cal.direction_1)
    donnees = donnees_calendrier(cal.projet_1)
    donnees["diagnostic-date"] = "2027-01-15"  # a valid change, not saved either
    donnees[champ] = saisie
    reponse = client.post(cal.url, donnees)
    assert reponse.status_code == 200
    assert "Le calendrier n'est pas enregistré" in reponse.text
    # The message beside the field, and what was typed kept.
    champ_html = reponse.text[reponse.text.index(f'name="{champ}"') :]
    assert escape(message) in champ_html[:1500]
    assert f'value="{saisie}"' in champ_html[:300] or saisie == ""
    assert 'value="2027-01-15"' in reponse.text
    assert not EtapeRenouvellement.objects.exists()


def test_la_page_du_projet_montre_les_deux_prochaines_etapes(client, cal):
    projet = cal.projet_1
    aujourdhui = timezone.localdate()
    EtapeRenouvellement.objects.create(
        projet=projet, etape=Etape.EVALUATION, date=aujourdhui, faite_le=aujourdhui
    )
    EtapeRenouvellement.objects.create(
        projet=projet, etape=Etape.DIAGNOSTIC, date=aujourdhui + datetime.timedelta(days=5)
    )
    client.force_login(cal.equipe_1)
    html = client.get(reverse("actions:projet", args=[projet.pk])).text
    bloc = html[html.index("Prochaines étapes du renouvellement") :]
    bloc = bloc[: bloc.index("Calendrier du renouvellement")]
    assert escape(Etape.DIAGNOSTIC.label) in bloc and "dans 5 jours" in bloc
    prochaine = next(e for e in etapes_du_projet(projet) if e.etape == Etape.ENJEUX)
    assert escape(prochaine.libelle) in bloc
    assert escape(Etape.EVALUATION.label) not in bloc  # done
    assert bloc.count("<li") == 2
    assert f'href="{cal.url}"' in html


def test_un_projet_sans_calendrier_a_quand_meme_le_lien(client, monde):
    client.force_login(monde.equipe_1)
    html = client.get(reverse("actions:projet", args=[monde.projet_1.pk])).text
    assert "Prochaines étapes du renouvellement" not in html
    assert reverse("projets:calendrier", args=[monde.projet_1.pk]) in html


# --- the reminders ---


@pytest.fixture
def rappels(settings):
    """A projet agréé ending on 31 December 2028 (steps from 31/12/2027 to 30/09/2028), its
    direction (two with an address, one without), its équipe and another structure's
    direction."""
    settings.SITE_URL = "https://projets.exemple.fr"
    projet = projet_agree(annee_debut=2025, annee_fin=2028)
    for email in ["directrice@centre.fr", "adjoint@centre.fr", ""]:
        MembreFactory(structure=projet.structure, direction=True, user__email=email)
    MembreFactory(structure=projet.structure, user__email="equipe@centre.fr")
    MembreFactory(direction=True, user__email="ailleurs@autre.fr")
    inactif = UserFactory(email="parti@centre.fr", is_active=False)
    MembreFactory(structure=projet.structure, direction=True, user=inactif)
    return projet


def lancer(jour, *options):
    sortie = StringIO()
    call_command("rappels_renouvellement", "--date", jour.isoformat(), *options, stdout=sortie)
    return sortie.getvalue()


def rappels_par_etape(depuis, jusqu_a):
    """Run the command every day; the days each step's reminders went, by step's label."""
    envoyes = {}
    jour = depuis
    while jour <= jusqu_a:
        avant = len(mail.outbox)
        lancer(jour)
        for message in mail.outbox[avant:]:
            libelle = next(e.label for e in Etape if f"« {e.label} »" in message.subject)
            envoyes.setdefault(libelle, []).append((jour, message.to[0]))
        jour += datetime.timedelta(days=1)
    return envoyes


def test_chaque_etape_a_ses_rappels_a_30_7_et_0_jours_une_fois_chacun(rappels):
    envoyes = rappels_par_etape(J(2027, 11, 1), J(2028, 10, 15))
    for etape, jour in dates(rappels).items():
        attendus = [
            (jour - datetime.timedelta(days=avant), adresse)
            for avant in (30, 7, 0)
            for adresse in ["adjoint@centre.fr", "directrice@centre.fr"]
        ]
        assert sorted(envoyes[Etape(etape).label]) == sorted(attendus), etape
    assert EtapeRenouvellement.objects.filter(projet=rappels, rappel_envoye_a=0).count() == 6


def test_le_rappel_dit_l_etape_sa_date_le_projet_et_le_lien(rappels):
    sortie = lancer(J(2028, 8, 31))  # the sending's day, the commission in 30 days
    messages = {m.subject: m for m in mail.outbox}
    assert len(mail.outbox) == 4
    commission = next(m for s, m in messages.items() if "Commission de la CAF" in s)
    assert "dans 30 jours" in commission.subject
    assert "le samedi 30 septembre 2028" in commission.body
    assert f"{rappels.titre} (2025–2028)" in commission.body
    lien = "https://projets.exemple.fr" + reverse("projets:calendrier", args=[rappels.pk])
    assert lien in commission.body
    envoi = next(m for s, m in messages.items() if "Envoi du dossier" in s)
    assert "aujourd'hui" in envoi.subject
    assert {a for m in mail.outbox for a in m.to} == {"adjoint@centre.fr", "directrice@centre.fr"}
    assert sortie.strip() == "31/08/2028 : 2 rappels envoyés, 4 e-mails."
    # Stored from its proposed date, the reminder noted.
    stockee = EtapeRenouvellement.objects.get(projet=rappels, etape=Etape.COMMISSION)
    assert (stockee.date, stockee.rappel_envoye_a) == (J(2028, 9, 30), 30)
    assert lancer(J(2028, 8, 31)).startswith("31/08/2028 : 0 rappel envoyé")
    assert len(mail.outbox) == 4


def test_une_etape_faite_n_a_plus_de_rappel(rappels):
    EtapeRenouvellement.objects.create(
        projet=rappels, etape=Etape.COMMISSION, date=J(2028, 9, 30), faite_le=J(2028, 8, 20)
    )
    lancer(J(2028, 9, 23))
    lancer(J(2028, 9, 30))
    assert mail.outbox == []


def test_un_projet_en_brouillon_n_a_pas_de_rappel(rappels):
    ProjetSocial.objects.filter(pk=rappels.pk).update(statut=ProjetSocial.Statut.BROUILLON)
    lancer(J(2028, 8, 31))
    assert mail.outbox == []


def test_une_date_changee_par_la_direction_relance_ses_rappels(client, rappels):
    lancer(J(2028, 9, 23))  # the commission's reminder of 7 days
    assert len(mail.outbox) == 2
    stockee = EtapeRenouvellement.objects.get(projet=rappels, etape=Etape.COMMISSION)
    assert stockee.rappel_envoye_a == 7
    directrice = rappels.structure.membres.get(user__email="directrice@centre.fr").user
    client.force_login(directrice)
    url = reverse("projets:calendrier", args=[rappels.pk])
    client.post(url, donnees_calendrier(rappels, commission=("2028-11-15", "")))
    stockee.refresh_from_db()
    assert (stockee.date, stockee.rappel_envoye_a) == (J(2028, 11, 15), None)
    lancer(J(2028, 10, 16))  # 30 days before the new date
    assert [m.subject for m in mail.outbox[2:]] == [
        "Calendrier du renouvellement : « Commission de la CAF » dans 30 jours "
        f"({rappels.structure.nom})"
    ] * 2
    # Saving the page again without changing the date keeps the reminders sent.
    client.post(url, donnees_calendrier(rappels))
    stockee.refresh_from_db()
    assert stockee.rappel_envoye_a == 30


def test_l_essai_n_envoie_ni_ne_note_rien(rappels):
    sortie = lancer(J(2028, 8, 31), "--dry-run")
    assert mail.outbox == []
    assert not EtapeRenouvellement.objects.exists()
    assert (
        sortie.strip() == "31/08/2028 : 2 rappels à envoyer (essai : rien n'est envoyé), 4 e-mails."
    )


def test_une_direction_sans_adresse_est_signalee(rappels):
    rappels.structure.membres.filter(user__email__endswith="@centre.fr").delete()
    sortie = lancer(J(2028, 8, 31))
    assert mail.outbox == []
    assert "2 étapes sans adresse e-mail à la direction" in sortie
    assert not EtapeRenouvellement.objects.exists()


def test_une_date_mal_ecrite_est_refusee():
    with pytest.raises(CommandError, match="n'est pas une date au format AAAA-MM-JJ"):
        call_command("rappels_renouvellement", "--date", "31/08/2028")
