"""The fiche page: every section of the fiche, safe text, history, buttons, access, query count."""

import re

import pytest
from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from actions.models import FicheAction
from centresocial.lib.texte import markdown_sur
from tests.factories import (
    AnneeActionFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    MoyenFactory,
    ObjectifGeneralFactory,
)
from tests.outils import doubler_fiches

User = get_user_model()
# One of them: has this account a second factor (every page); one: the fiche is read now
# (LectureFiche, for the home page's unread comments).
MAX_REQUETES_FICHE = 15


def url_fiche(fiche):
    return reverse("actions:detail", args=[fiche.pk])


@pytest.fixture
def equipe(client, demo):
    client.force_login(User.objects.get(username="equipe"))
    return client


@pytest.fixture
def fiche_demo(demo):
    """Axe 1 – 07: it also serves an objectif of axe 2, and the Mission locale takes part."""
    return FicheAction.objects.avec_details().get(
        projet=demo, axe__ordre=1, axe__transversal=False, numero=7
    )


def sans_espaces(html):
    return re.sub(r"\s+", " ", html)


def test_la_page_montre_chaque_section_de_la_fiche(equipe, fiche_demo):
    fiche = fiche_demo
    reponse = equipe.get(url_fiche(fiche))
    assert reponse.status_code == 200
    html = sans_espaces(reponse.text)

    # Header: axe, number and title, enjeu, objectifs (with the cross-axe reference), tags.
    assert f"{escape(fiche.axe.libelle)} – {escape(fiche.axe.titre)}" in html
    assert re.search(r"<h1[^>]*>.*07\..*" + re.escape(escape(fiche.titre)) + ".*</h1>", html)
    principal = fiche.objectif_principal
    assert escape(str(principal.enjeu)) in html
    assert escape(principal.titre) in html
    autre = next(lien.objectif for lien in fiche.liens_objectifs.all() if not lien.principal)
    assert autre.axe_id != fiche.axe_id
    assert escape(autre.titre) in html
    assert f"cf. Axe {autre.axe.ordre}" in html
    assert "Projet Animation Collective Familles" in html and "Projet Jeunesse" in html
    assert fiche.get_statut_plan_display() in html.replace("&#x27;", "'")
    assert fiche.get_statut_display() in html
    assert escape(fiche.referent.get_full_name()) in html

    # The years it runs, out of the projet's years.
    for annee in fiche.projet.annees:
        etat = "prévue" if annee in fiche.liste_annees else "non prévue"
        assert re.search(rf"<li[^>]*>{annee}<span class=\"visually-hidden\"> : {etat}</span>", html)

    # Markdown text fields, rendered and sanitised.
    for champ in [
        "contexte",
        "public_vise",
        "attention_particuliere",
        "presentation",
        "resultats_attendus",
        "freins",
    ]:
        texte = getattr(fiche, champ)
        assert texte, champ
        assert sans_espaces(markdown_sur(texte)) in html, champ

    # Rows: objectifs opérationnels, échéancier, moyens, partenariat, indicateurs.
    for objectif in fiche.objectifs_operationnels.all():
        assert escape(objectif.libelle) in html
    for etape in fiche.etapes.all():
        assert escape(etape.libelle) in html
        if etape.periode:
            assert escape(etape.periode) in html
    for moyen in fiche.moyens.all():
        assert escape(moyen.libelle) in html
    for partenariat in fiche.partenariats.all():
        assert escape(str(partenariat.partenaire)) in html
        assert escape(partenariat.get_role_display()) in html
    assert "Mission locale Clermont Métropole" in html
    for indicateur in fiche.indicateurs.all():
        assert escape(indicateur.libelle) in html
        assert escape(indicateur.objet) in html
        assert escape(indicateur.outil) in html
    assert "Indicateurs quantitatifs" in html and "Indicateurs qualitatifs" in html

    # Participation: current level → targeted level.
    assert (
        f"Niveau actuel : <strong>{escape(fiche.get_participation_actuelle_display())}</strong>"
        f" → niveau visé : <strong>{escape(fiche.get_participation_visee_display())}</strong>"
    ) in html
    assert "Non renseigné" not in html


def test_indicateur_quantitatif_avec_reference_cible_et_unite(client, monde):
    indicateur = IndicateurFactory(
        fiche=monde.fiche_1a,
        objet="Fréquentation",
        libelle="Nombre de passages",
        outil="Statistiques d'accueil",
        unite="passages par an",
        valeur_reference=900,
        cible=1200,
    )
    client.force_login(monde.equipe_1)
    html = sans_espaces(client.get(url_fiche(monde.fiche_1a)).text)
    assert escape(indicateur.outil) in html
    assert "aujourd&#x27;hui 900 → cible 1 200 passages par an" in html


def test_moyens_groupes_par_type_avec_quantite_et_montant(client, monde):
    fiche = monde.fiche_1a
    MoyenFactory(fiche=fiche, type="financier", libelle="Subvention CAF", montant=2500)
    MoyenFactory(fiche=fiche, type="humain", libelle="ADS référent", quantite=1)
    client.force_login(monde.equipe_1)
    html = sans_espaces(client.get(url_fiche(fiche)).text).replace("\xa0", " ")
    html = html.replace("\u202f", " ")
    assert '<span class="fiche-quantite">1</span> ADS référent' in html
    assert 'Subvention CAF <span class="fiche-montant">2 500 €</span>' in html
    # Humains come before financiers, as in the dossier.
    assert html.index("<dt>Humain</dt>") < html.index("<dt>Financier</dt>")


def test_une_fiche_vide_affiche_non_renseigne_discretement(client, monde):
    client.force_login(monde.equipe_1)
    reponse = client.get(url_fiche(monde.fiche_1b))
    assert reponse.status_code == 200
    # Every section of an empty fiche says so, in a small grey note.
    assert reponse.text.count('class="fiche-vide">Non renseigné') >= 12


def test_une_fiche_terminee_montre_son_motif_de_fin(client, monde):
    fiche = FicheActionFactory(
        axe=monde.fiche_1a.axe, terminee=True, precision_fin="Public trouvé ailleurs"
    )
    client.force_login(monde.equipe_1)
    html = client.get(url_fiche(fiche)).text
    assert "Terminée" in html
    assert "Motif de fin : Objectifs atteints — Public trouvé ailleurs" in html


def test_le_texte_de_l_utilisateur_est_echappe_et_assaini(client, monde):
    fiche = monde.fiche_1a
    fiche.titre = "Atelier <b>gras</b>"
    fiche.contexte = "Avant <script>alert('x')</script> Tom & Jerry **important**"
    fiche.freins = '<a href="javascript:alert(1)">clic</a> <img src=x onerror=alert(1)>'
    fiche.save()
    client.force_login(monde.equipe_1)

    html = client.get(url_fiche(fiche)).text

    assert "<script>alert" not in html
    assert 'href="javascript:' not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # the history shows what was typed, escaped
    assert "Tom &amp; Jerry" in html
    assert "<strong>important</strong>" in html
    assert "Atelier &lt;b&gt;gras&lt;/b&gt;" in html


def test_l_historique_montre_une_modification_avec_son_auteur(client, monde):
    fiche = monde.fiche_1a
    auteur = monde.direction_1
    with set_actor(auteur):
        fiche.titre = "Un titre revu en équipe"
        fiche.save()
    client.force_login(monde.equipe_1)

    html = sans_espaces(client.get(url_fiche(fiche)).text)

    historique = html[html.index('id="historique-titre"') :]
    assert "Modification" in historique
    assert f"par {escape(auteur.get_full_name())}" in historique
    assert "→ <ins>Un titre revu en équipe</ins>" in historique


def test_les_boutons_menent_a_l_editeur(client, monde):
    fiche = monde.fiche_1a
    client.force_login(monde.equipe_1)
    html = sans_espaces(client.get(url_fiche(fiche)).text)
    assert f'href="{reverse("actions:modifier", args=[fiche.pk])}">Modifier</a>' in html
    assert f'href="{reverse("actions:deplacer", args=[fiche.pk])}">Déplacer vers un autre axe' in (
        html
    )
    assert f'href="{reverse("actions:supprimer", args=[fiche.pk])}">Supprimer</a>' in html
    dupliquer = re.search(
        rf'<form method="post" action="{reverse("actions:dupliquer", args=[fiche.pk])}"'
        r"[^>]*>(.*?)</form>",
        html,
    )
    assert dupliquer and "csrfmiddlewaretoken" in dupliquer.group(1)
    assert "Dupliquer</button>" in dupliquer.group(1)


def test_objectif_d_un_autre_axe_renvoie_a_cet_axe(client, monde):
    fiche = monde.fiche_1a
    principal = ObjectifGeneralFactory(enjeu__axe=fiche.axe, titre="Objectif de l'axe")
    ailleurs = ObjectifGeneralFactory(
        enjeu__axe__projet=fiche.projet, enjeu__axe__ordre=3, titre="Objectif d'ailleurs"
    )
    FicheObjectifFactory(fiche=fiche, objectif=principal, principal=True)
    FicheObjectifFactory(fiche=fiche, objectif=ailleurs)
    AnneeActionFactory(fiche=fiche, annee=2026)
    client.force_login(monde.equipe_1)

    html = sans_espaces(client.get(url_fiche(fiche)).text)

    assert "Objectif d&#x27;ailleurs" in html
    assert '<span class="fiche-renvoi">cf. Axe 3</span>' in html
    assert '2026<span class="visually-hidden"> : prévue' in html
    assert '2025<span class="visually-hidden"> : non prévue' in html


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("equipe_1", 200),
        ("direction_1", 200),
        ("admin", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 403),  # partner of this very fiche: known, not the staff's page
        ("sans_role", 404),
    ],
)
def test_acces_par_role(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    reponse = client.get(url_fiche(monde.fiche_1a))
    assert reponse.status_code == statut
    if statut == 200:
        assert "Fiche 1a" in reponse.text


def test_anonyme_renvoye_vers_la_connexion(client, monde):
    reponse = client.get(url_fiche(monde.fiche_1a))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


# --- query count --------------------------------------------------------------------------


def test_le_nombre_de_requetes_est_fixe(equipe, demo, fiche_demo, django_assert_max_num_queries):
    autres = [
        FicheAction.objects.get(projet=demo, axe__ordre=2, axe__transversal=False, numero=3),
        FicheAction.objects.get(projet=demo, axe__transversal=True, numero=1),
    ]
    with set_actor(User.objects.get(username="equipe")):
        fiche_demo.titre = f"{fiche_demo.titre} (revue)"
        fiche_demo.save()
    for fiche in [fiche_demo, *autres]:
        with django_assert_max_num_queries(MAX_REQUETES_FICHE):
            assert equipe.get(url_fiche(fiche)).status_code == 200

    doubler_fiches(demo)
    copie = FicheAction.objects.get(projet=demo, titre=f"{fiche_demo.titre} (bis)")

    for fiche in [fiche_demo, copie, *autres]:
        with django_assert_max_num_queries(MAX_REQUETES_FICHE):
            assert equipe.get(url_fiche(fiche)).status_code == 200
