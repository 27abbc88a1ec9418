"""The evaluation dashboard: what its summary counts, its filters, its bilans, its scales."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import FicheAction, Indicateur
from evaluation.graphiques import graduations, graphique_indicateur
from evaluation.tableau import Avancement
from tests.factories import (
    AnneeActionFactory,
    BilanActionFactory,
    CibleAnnuelleFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    ResultatFactory,
)


def ouvrir(client, user, projet, **parametres):
    client.force_login(user)
    reponse = client.get(reverse("evaluation:tableau_de_bord", args=[projet.pk]), parametres)
    assert reponse.status_code == 200
    return reponse


def compte(reponse, avancement, axe=None):
    """The number the summary gives for an Avancement, of the whole selection or of an axe."""
    tableau = reponse.context["tableau"]
    synthese = tableau.ensemble if axe is None else next(s for s in tableau.axes if s.axe == axe)
    return dict(synthese.avancements)[avancement]


@pytest.fixture
def indicateurs(monde):
    """In 2025, fiche 1a: one on track, one behind, one aiming lower and reached, one without
    result, one qualitative measured; fiche 1b: one only « non renseigné »."""
    fiche = monde.fiche_1a
    atteint = IndicateurFactory(fiche=fiche, libelle="Atteint", cible=10)
    ResultatFactory(indicateur=atteint, valeur=10)
    retard = IndicateurFactory(fiche=fiche, libelle="En retard", cible=100)
    CibleAnnuelleFactory(indicateur=retard, annee=2025, valeur=20)
    ResultatFactory(indicateur=retard, valeur=19)
    baisse = IndicateurFactory(fiche=fiche, libelle="Taux d'absence", valeur_reference=20, cible=10)
    ResultatFactory(indicateur=baisse, valeur=8)
    IndicateurFactory(fiche=fiche, libelle="Jamais mesuré", cible=5)
    qualitatif = IndicateurFactory(
        fiche=fiche, libelle="Autonomie", nature=Indicateur.Nature.QUALITATIF
    )
    ResultatFactory(indicateur=qualitatif, valeur=None, niveau=3)
    vide = IndicateurFactory(fiche=monde.fiche_1b, libelle="Non mesurable", cible=3)
    ResultatFactory(indicateur=vide, valeur=None, non_renseigne=True)
    return atteint


def test_synthese_compte_en_bonne_voie_en_retard_sans_donnee(client, monde, indicateurs):
    reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2025)
    assert compte(reponse, Avancement.EN_BONNE_VOIE) == 2  # 10 ≥ 10, and 8 ≤ 10 aiming lower
    assert compte(reponse, Avancement.EN_RETARD) == 1  # 19 < the year's target 20
    assert compte(reponse, Avancement.SANS_DONNEE) == 2  # never measured, « non renseigné »
    assert compte(reponse, Avancement.SANS_CIBLE) == 1  # the qualitative one
    page = reponse.content.decode()
    assert "En bonne voie : <strong>2</strong>" in page
    assert "En retard : <strong>1</strong>" in page
    assert "Sans donnée : <strong>2</strong>" in page
    # The next year has no result at all.
    reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2026)
    assert compte(reponse, Avancement.SANS_DONNEE) == 6


def test_indicateurs_sans_mesure_listes_sans_resultat_sans_graphique(client, monde, indicateurs):
    page = ouvrir(client, monde.direction_1, monde.projet_1, annee=2025).content.decode()
    sans = re.findall(r"<strong>Sans résultat</strong> \(\d\) :\s*([^<]*)</p>", page)
    assert [s.strip() for s in sans] == ["Jamais mesuré", "Non mesurable"]
    assert f'id="g-ind-{indicateurs.pk}-t"' in page
    assert page.count('<svg class="eval-graphique" viewBox="0 0 360') == 3  # quantitative only
    assert "2025 : en retard" in page and "2025 : en bonne voie" in page


def test_annee_par_defaut_la_derniere_avec_des_donnees(client, monde, indicateurs):
    ResultatFactory(indicateur=indicateurs, annee=2027, valeur=3)
    reponse = ouvrir(client, monde.direction_1, monde.projet_1)
    assert reponse.context["annee"] == 2027
    # A year outside the période falls back to it too, rather than failing.
    assert ouvrir(client, monde.direction_1, monde.projet_1, annee=1999).context["annee"] == 2027


def test_filtres_axe_enjeu_acf_jeunesse(client, monde):
    FicheActionFactory(axe=monde.axe_1, titre="Parents", projet_familles=True)
    autre_axe = FicheActionFactory(axe__projet=monde.projet_1, titre="Ados", projet_jeunesse=True)
    lien = FicheObjectifFactory(fiche=autre_axe)
    enjeu = lien.objectif.enjeu

    def titres(**filtres):
        reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2025, **filtres)
        return {f["titre"] for f in reponse.context["tableau"].fiches}

    tout = {"Fiche 1a", "Fiche 1b", "Parents", "Ados"}
    assert titres() == tout
    assert titres(axe=monde.axe_1.pk) == {"Fiche 1a", "Fiche 1b", "Parents"}
    assert titres(projet_familles="true") == {"Parents"}
    assert titres(projet_jeunesse="true") == {"Ados"}
    assert titres(projet_familles="false", axe=monde.axe_1.pk) == {"Fiche 1a", "Fiche 1b"}
    assert titres(enjeu=enjeu.pk) == {"Ados"}
    # Another projet's axe is no choice here: the filter is ignored, not obeyed.
    assert titres(axe=monde.fiche_2a.axe_id) == tout
    filtree = ouvrir(client, monde.direction_1, monde.projet_1, projet_jeunesse="false")
    assert "(fiches filtrées)" in filtree.content.decode()
    assert (
        "(fiches filtrées)"
        not in ouvrir(client, monde.direction_1, monde.projet_1).content.decode()
    )


def test_pagination_garde_les_filtres(client, monde):
    for n in range(12):
        FicheActionFactory(axe=monde.axe_1, titre=f"Atelier {n}", projet_familles=True)
    reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2026, projet_familles="true")
    page = reponse.content.decode()
    assert reponse.context["page"].paginator.count == 12
    lien = re.search(r'href="(\?[^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "annee=2026" in lien and "projet_familles=true" in lien
    suite = client.get(reverse("evaluation:tableau_de_bord", args=[monde.projet_1.pk]) + lien)
    assert len(suite.context["page"].object_list) == 2
    assert suite.context["annee"] == 2026


def test_bilans_saisis_manquants_repartition_et_totaux(client, monde):
    fiche_1a, fiche_1b = monde.fiche_1a, monde.fiche_1b
    plus_tard = FicheActionFactory(axe=monde.axe_1, titre="Plus tard")
    AnneeActionFactory(fiche=plus_tard, annee=2027)  # not expected in 2025
    AnneeActionFactory(fiche=fiche_1b, annee=2025)
    BilanActionFactory(
        fiche=fiche_1a,
        mots_cles=["parentalite", "culture"],
        publics=["familles"],
        initiatives=["centre", "habitant"],
        salaries=2,
        benevoles=5,
        participants=60,
        montant_ressources=Decimal("1250.50"),
    )
    BilanActionFactory(fiche=fiche_1a, annee=2026, mots_cles=["sante"], participants=999)
    BilanActionFactory(fiche=monde.fiche_2a, participants=500)  # another structure's
    reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2025)
    bilans = reponse.context["tableau"].bilans
    assert len(bilans.lignes) == 1
    assert [f["titre"] for f in bilans.manquantes] == ["Fiche 1b"]
    assert bilans.par_mot_cle == [("Parentalité", 1), ("Culture", 1)]
    assert bilans.par_public == [("Familles", 1)]
    assert bilans.par_initiative == [("Le centre social", 1), ("Un habitant", 1)]
    assert bilans.mobilises == [("salariés", 2, 1), ("bénévoles", 5, 1), ("participants", 60, 1)]
    page = reponse.content.decode()
    assert "<strong>1</strong> bilan saisi" in page
    assert "<strong>1</strong> fiche sans bilan" in page
    assert "<strong>1\u202f250,50 €</strong>" in page
    assert reverse("evaluation:bilan", args=[fiche_1b.pk, 2025]) in page
    assert "Parentalité : 1 ; Culture : 1." in page  # the chart's text alternative


def test_tableau_d_une_autre_structure_introuvable(client, monde):
    client.force_login(monde.direction_1)
    url = reverse("evaluation:tableau_de_bord", args=[monde.projet_2.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"annee": 2025, "axe": monde.fiche_2a.axe_id}).status_code == 404


def test_requetes_en_nombre_fixe(client, monde, django_assert_max_num_queries):
    """5 fiches or 50, each with indicators, results and a bilan: the same number of queries."""

    def remplir(nombre):
        for n in range(nombre):
            fiche = FicheActionFactory(axe=monde.axe_1, titre=f"Action {n}")
            AnneeActionFactory(fiche=fiche, annee=2025)
            indicateur = IndicateurFactory(fiche=fiche, cible=10)
            CibleAnnuelleFactory(indicateur=indicateur, annee=2025, valeur=8)
            ResultatFactory(indicateur=indicateur, valeur=9)
            BilanActionFactory(fiche=fiche, mots_cles=["culture"], participants=n)

    client.force_login(monde.direction_1)
    url = reverse("evaluation:tableau_de_bord", args=[monde.projet_1.pk])
    parametres = {"annee": 2025, "axe": monde.axe_1.pk, "projet_familles": "false"}
    remplir(5)
    # Session, user, projet, then 4 reads of the evaluation, axes, fiches, the form's choices
    # and the filter's axe.
    with django_assert_max_num_queries(13):
        assert client.get(url, parametres).status_code == 200
    remplir(45)
    with django_assert_max_num_queries(13):
        reponse = client.get(url, parametres)
    assert len(reponse.context["tableau"].fiches) == 52


@pytest.mark.parametrize(
    ("maximum", "attendu"),
    [
        (Decimal("37.95"), ["0", "10", "20", "30", "40"]),
        (1725, ["0", "500", "1000", "1500", "2000"]),
        (12, ["0", "5", "10", "15"]),
        (100, ["0", "50", "100"]),
        (Decimal("0.8"), ["0", "0.2", "0.4", "0.6", "0.8"]),
        (0, ["0", "1"]),
    ],
)
def test_graduations_rondes(maximum, attendu):
    ticks = graduations(maximum)
    assert [str(t) for t in ticks] == attendu
    assert ticks[-1] >= Decimal(str(maximum))


def test_graphique_etiquettes_unite_et_mots():
    svg = graphique_indicateur(
        "g",
        "Participants",
        [2025, 2026],
        {2025: Decimal("1250.5"), 2026: None},
        {2025: Decimal("1500"), 2026: Decimal("1600")},
        unite="personnes par an",
    )
    assert 'class="eval-valeur"' in svg and ">1\u202f250,5</text>" in svg  # the bar's label
    assert ">2\u202f000</text>" in svg  # a round top of the scale, French digits
    assert ">personnes par an</text>" in svg
    assert "réalisé 1\u202f250,5 personnes par an (cible 1\u202f500)" in svg
    assert "2026 : pas de résultat (cible 1\u202f600)" in svg
    assert not re.search(r">\d+[.,]\d{2,}</text>", svg)  # no « 37,95 » axis top


def test_statuts_des_fiches_par_axe(client, monde):
    FicheActionFactory(axe=monde.axe_1, statut=FicheAction.Statut.EN_COURS)
    FicheActionFactory(axe=monde.axe_1, terminee=True)
    reponse = ouvrir(client, monde.direction_1, monde.projet_1, annee=2025)
    (axe,) = reponse.context["tableau"].axes
    assert [(label, n) for label, _, n in axe.par_statut] == [
        ("À venir", 2),
        ("En cours", 1),
        ("Terminée", 1),
    ]
    assert "À venir 2 · En cours 1 · Terminée 1" in reponse.content.decode()


def test_le_rapport_d_activite_de_l_annee_choisie_part_du_tableau_de_bord(client, monde):
    page = ouvrir(client, monde.direction_1, monde.projet_1, annee=2026).content.decode()
    lien = reverse("dossier:rapport_annee", args=[monde.projet_1.pk, 2026])
    assert f'href="{lien}">Rapport d\'activité 2026 (PDF)</a>' in page
