"""An indicator broken down by category: declared on its targets page (categories and their
targets, checked against the indicator's), then each result's values per category, whose sum
must make the result's value; shown on the fiche's evaluation page."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import Resultat
from evaluation.ventilation import (
    CategorieVentilation,
    CibleCategorie,
    TypeVentilation,
    ValeurCategorie,
    Ventilation,
    message_somme,
)
from tests.factories import (
    CategorieVentilationFactory,
    IndicateurFactory,
    ResultatFactory,
    ValeurCategorieFactory,
    VentilationFactory,
)

pytestmark = pytest.mark.django_db


def connecte(user):
    client = Client()
    client.force_login(user)
    return client


def url_cibles(indicateur):
    return reverse("evaluation:cibles", args=[indicateur.pk])


def ouvrir_cibles(client, indicateur):
    """The targets page as opened: what it sends back when saved untouched."""
    page = client.get(url_cibles(indicateur))
    assert page.status_code == 200
    html = page.content.decode()
    donnees = {"etat": re.search(r'name="etat" value="([^"]+)"', html).group(1)}
    donnees["lignes"] = re.search(r'name="lignes" value="(\d+)"', html).group(1)
    for nom, valeur in re.findall(r'name="(cat_\d+_(?:id|libelle))"[^>]*? value="([^"]*)"', html):
        donnees[nom] = valeur
    return donnees


@pytest.fixture
def par_sexe(monde):
    """« Nombre de participants » (cible 50), broken down into Femmes, Hommes, Non précisé."""
    indicateur = IndicateurFactory(fiche=monde.fiche_1a, cible=50, outil="Fiches de présence")
    ventilation = VentilationFactory(indicateur=indicateur, type=TypeVentilation.SEXE)
    for ordre, nom in enumerate(["Femmes", "Hommes", "Non précisé"]):
        CategorieVentilationFactory(ventilation=ventilation, libelle=nom, ordre=ordre, cible=None)
    return indicateur


def categories(indicateur):
    return list(indicateur.ventilation.categories.values_list("pk", flat=True))


# --- the rule -------------------------------------------------------------------------------


def test_message_de_somme_dit_l_ecart():
    assert message_somme(Decimal(48), Decimal(50)) == (
        "La somme des catégories (48) ne fait pas le total (50) : il manque 2."
    )
    assert message_somme(Decimal("52.5"), Decimal(50)).endswith(": 2,5 de trop.")
    assert message_somme(Decimal(50), Decimal(50)) is None


def test_repartition_toute_ou_rien_et_somme(par_sexe):
    ventilation = par_sexe.ventilation
    f, h, n = ventilation.categories.all()
    total, erreurs = ventilation.erreurs_repartition(Decimal(50), {f: 30, h: None, n: None})
    assert total is None and set(erreurs) == {h, n}
    total, erreurs = ventilation.erreurs_repartition(Decimal(50), {f: 30, h: 18, n: 0})
    assert total.startswith("La somme des catégories (48) ne fait pas le total (50)")
    assert ventilation.erreurs_repartition(Decimal(50), {f: 30, h: 18, n: 2}) == (None, {})
    assert ventilation.erreurs_repartition(Decimal(50), dict.fromkeys([f, h, n])) == (None, {})
    _, erreurs = ventilation.erreurs_repartition(None, {f: 1, h: None, n: None}, True)
    assert list(erreurs) == [f]
    ventilation.additive = False  # a rate: each category its own value, no total
    assert ventilation.erreurs_repartition(Decimal(50), {f: 80, h: 70, n: 75}) == (None, {})


def test_un_indicateur_qualitatif_n_est_pas_ventile(monde):
    ventilation = Ventilation(
        indicateur=IndicateurFactory(fiche=monde.fiche_1a, qualitatif=True),
        type=TypeVentilation.SEXE,
    )
    with pytest.raises(Exception, match="qualitatif"):
        ventilation.full_clean()


# --- the targets page -----------------------------------------------------------------------


def test_declarer_une_ventilation_par_sexe_cree_les_categories_habituelles(monde):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a, cible=50)
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, indicateur)
    reponse = client.post(
        url_cibles(indicateur),
        {**donnees, "cible": "50", "ventilation": "sexe", "additive": "on"},
    )
    assert reponse.status_code == 302 and reponse["Location"].endswith("/cibles/#ventilation")
    ventilation = Ventilation.objects.get(indicateur=indicateur)
    assert list(ventilation.categories.values_list("libelle", flat=True)) == [
        "Femmes",
        "Hommes",
        "Autre ou non précisé",
    ]


def test_categories_personnalisees_et_leurs_cibles_avec_virgule(monde):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, indicateur)
    donnees.update(
        {
            "cible": "1 250,50",
            "ventilation": "personnalisee",
            "additive": "on",
            "cat_0_libelle": "Quartier nord",
            "cat_0_cible": "1 000,25",
            "cat_1_libelle": "Quartier sud",
            "cat_1_cible": "250,25",
            "cat_1_cible_2025": "12,5",
        }
    )
    assert client.post(url_cibles(indicateur), donnees).status_code == 302
    nord, sud = CategorieVentilation.objects.filter(ventilation__indicateur=indicateur)
    assert (nord.libelle, nord.cible) == ("Quartier nord", Decimal("1000.25"))
    assert (sud.libelle, sud.cible) == ("Quartier sud", Decimal("250.25"))
    assert CibleCategorie.objects.get(categorie=sud, annee=2025).valeur == Decimal("12.5")


def test_cibles_des_categories_qui_ne_font_pas_la_cible_refusees_a_cote_du_champ(monde):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, indicateur)
    donnees.update(
        {
            "cible": "50",
            "cible_2025": "40",
            "ventilation": "sexe",
            "additive": "on",
            "cat_0_libelle": "Femmes",
            "cat_0_cible": "30",
            "cat_0_cible_2025": "25",
            "cat_1_libelle": "Hommes",
            "cat_1_cible": "18",
            "cat_1_cible_2025": "20",
        }
    )
    reponse = client.post(url_cibles(indicateur), donnees)
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert (
        "La somme des cibles par catégorie (48) ne fait pas la cible de la période (50) : "
        "il manque 2." in page
    )
    assert "La somme des cibles 2025 par catégorie (45) ne fait pas la cible 2025 (40)" in page
    assert 'value="Femmes"' in page and 'value="18"' in page  # the input is kept
    assert not Ventilation.objects.exists()
    # Unticked « s'additionnent » (a rate), the same figures are accepted.
    del donnees["additive"]
    assert client.post(url_cibles(indicateur), donnees).status_code == 302
    assert not Ventilation.objects.get(indicateur=indicateur).additive


def test_libelle_trop_long_refuse_jamais_coupe(monde):
    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    client = connecte(monde.equipe_1)
    long = "Habitants " + "x" * 100
    donnees = ouvrir_cibles(client, indicateur)
    donnees.update(
        {"ventilation": "personnalisee", "cat_0_libelle": long, "cat_1_libelle": "Autres"}
    )
    page = client.post(url_cibles(indicateur), donnees).content.decode()
    assert "au plus 100 caractères" in page and long in page
    assert not Ventilation.objects.exists()


def test_une_categorie_qui_a_des_valeurs_ne_se_retire_pas_mais_se_renomme(monde, par_sexe):
    femmes = par_sexe.ventilation.categories.get(libelle="Femmes")
    ValeurCategorieFactory(categorie=femmes, resultat__valeur=3, valeur=3)
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, par_sexe)
    donnees.update({"cible": "50", "ventilation": "sexe", "additive": "on", "cat_0_libelle": ""})
    page = client.post(url_cibles(par_sexe), donnees).content.decode()
    assert "La catégorie « Femmes » a des valeurs dans 1 résultat" in page
    assert par_sexe.ventilation.categories.count() == 3
    donnees["cat_0_libelle"] = "Femmes et filles"
    assert client.post(url_cibles(par_sexe), donnees).status_code == 302
    femmes.refresh_from_db()
    assert femmes.libelle == "Femmes et filles" and femmes.valeurs.count() == 1


def test_retirer_la_ventilation(monde, par_sexe):
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, par_sexe)
    donnees.update({"cible": "50", "ventilation": ""})
    page = client.post(url_cibles(par_sexe), donnees).content.decode()
    assert "choisissez comment l&#x27;indicateur est ventilé" in page
    for i in range(3):
        donnees[f"cat_{i}_libelle"] = ""
    assert client.post(url_cibles(par_sexe), donnees).status_code == 302
    assert not Ventilation.objects.exists() and not CategorieVentilation.objects.exists()


def test_ventilation_modifiee_entre_temps_conflit_sans_perte(monde, par_sexe):
    alice, bob = connecte(monde.equipe_1), connecte(monde.direction_1)
    form_alice, form_bob = ouvrir_cibles(alice, par_sexe), ouvrir_cibles(bob, par_sexe)
    form_alice.update({"cible": "50", "ventilation": "sexe", "additive": "on"})
    form_alice["cat_2_libelle"] = "Autre ou non précisé"
    assert alice.post(url_cibles(par_sexe), form_alice).status_code == 302
    form_bob.update({"cible": "50", "ventilation": "sexe", "additive": "on", "cat_0_cible": "30"})
    reponse = bob.post(url_cibles(par_sexe), form_bob)
    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert "Catégories" in page and "Autre ou non précisé" in page  # what Alice changed
    assert CategorieVentilation.objects.get(libelle="Femmes").cible is None  # nothing applied


def test_cibles_d_un_indicateur_d_une_autre_structure_introuvable(monde):
    autre = IndicateurFactory(fiche=monde.fiche_2a)
    client = connecte(monde.equipe_1)
    reponse = client.post(url_cibles(autre), {"ventilation": "sexe", "cat_0_libelle": "Femmes"})
    assert reponse.status_code == 404
    assert not Ventilation.objects.exists()


# --- results --------------------------------------------------------------------------------


def url_nouveau(indicateur):
    return reverse("evaluation:resultat_creer", args=[indicateur.pk])


def saisie(indicateur, valeur, *par_categorie, **autres):
    pks = categories(indicateur)
    donnees = {
        "annee": 2025,
        "semestre": 0,
        "valeur": valeur,
        "categories_ouvertes": ",".join(map(str, pks)),
        **autres,
    }
    donnees.update({f"categorie_{pk}": v for pk, v in zip(pks, par_categorie, strict=False)})
    return donnees


def test_la_source_est_preremplie_par_l_outil_de_recueil(monde, par_sexe):
    client = connecte(monde.equipe_1)
    page = client.get(url_nouveau(par_sexe)).content.decode()
    assert re.search(r'name="source"[^>]*value="Fiches de présence"', page)
    # The user may write another source; it is kept as typed.
    assert (
        client.post(url_nouveau(par_sexe), saisie(par_sexe, "50", source="Cahier")).status_code
        == 302
    )
    resultat = Resultat.objects.get()
    assert resultat.source == "Cahier"
    modifier = reverse("evaluation:resultat_modifier", args=[resultat.pk])
    assert 'value="Cahier"' in client.get(modifier).content.decode()


def test_resultat_reparti_avec_virgules(monde, par_sexe):
    client = connecte(monde.equipe_1)
    page = client.get(url_nouveau(par_sexe)).content.decode()
    assert "Répartition par sexe" in page and "Femmes" in page
    reponse = client.post(url_nouveau(par_sexe), saisie(par_sexe, "50,5", "30,5", "18", "2"))
    assert reponse.status_code == 302
    resultat = Resultat.objects.get()
    assert resultat.valeur == Decimal("50.5")
    assert [v.valeur for v in resultat.valeurs_categories.all()] == [
        Decimal("30.5"),
        Decimal(18),
        Decimal(2),
    ]


def test_somme_des_categories_fausse_refusee_avec_l_ecart_et_saisie_gardee(monde, par_sexe):
    client = connecte(monde.equipe_1)
    reponse = client.post(url_nouveau(par_sexe), saisie(par_sexe, "50", "30", "18", "0"))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "La somme des catégories (48) ne fait pas le total (50) : il manque 2." in page
    assert "Saisissez une valeur" not in page  # the value itself is there
    assert 'value="30"' in page and 'value="18"' in page
    assert not Resultat.objects.exists()


def test_categories_toutes_ou_aucune(monde, par_sexe):
    client = connecte(monde.equipe_1)
    partielle = client.post(url_nouveau(par_sexe), saisie(par_sexe, "50", "30"))
    assert "Saisissez une valeur pour chaque catégorie" in partielle.content.decode()
    assert not Resultat.objects.exists()
    illisible = client.post(url_nouveau(par_sexe), saisie(par_sexe, "50", "trente", "18", "2"))
    assert "« trente » n&#x27;est pas un nombre" in illisible.content.decode()
    # The breakdown is not always known: a value alone is accepted.
    assert client.post(url_nouveau(par_sexe), saisie(par_sexe, "50")).status_code == 302
    assert not ValeurCategorie.objects.exists()


def test_modifier_un_resultat_reparti(monde, par_sexe):
    client = connecte(monde.equipe_1)
    client.post(url_nouveau(par_sexe), saisie(par_sexe, "50", "30", "18", "2"))
    resultat = Resultat.objects.get()
    url = reverse("evaluation:resultat_modifier", args=[resultat.pk])
    page = client.get(url).content.decode()
    assert 'value="30"' in page and 'value="18"' in page
    assert client.post(url, saisie(par_sexe, "52", "31", "19", "2")).status_code == 302
    assert sorted(ValeurCategorie.objects.values_list("valeur", flat=True)) == [2, 19, 31]
    # Emptied, the breakdown is removed; the value stays.
    assert client.post(url, saisie(par_sexe, "52")).status_code == 302
    assert not ValeurCategorie.objects.exists() and Resultat.objects.get().valeur == 52


def test_categories_changees_depuis_l_ouverture(monde, par_sexe):
    client = connecte(monde.equipe_1)
    donnees = saisie(par_sexe, "50", "30", "18", "2")
    CategorieVentilationFactory(ventilation=par_sexe.ventilation, libelle="Enfants", ordre=9)
    reponse = client.post(url_nouveau(par_sexe), donnees)
    page = reponse.content.decode()
    assert "Les catégories de cet indicateur ont changé depuis que vous avez ouvert" in page
    assert 'value="30"' in page and "Enfants" in page
    assert not Resultat.objects.exists()


def test_resultat_d_une_autre_structure_introuvable(monde):
    ventilation = VentilationFactory(indicateur__fiche=monde.fiche_2a)
    categorie = CategorieVentilationFactory(ventilation=ventilation)
    valeur = ValeurCategorieFactory(categorie=categorie)
    client = connecte(monde.equipe_1)
    url = reverse("evaluation:resultat_modifier", args=[valeur.resultat.pk])
    assert client.post(url, {"annee": 2025, "valeur": "1"}).status_code == 404
    assert client.get(url_nouveau(ventilation.indicateur)).status_code == 404
    valeur.refresh_from_db()
    assert valeur.valeur == 4


# --- shown on the fiche ---------------------------------------------------------------------


def test_la_fiche_montre_la_repartition(monde, par_sexe, django_assert_max_num_queries):
    femmes, hommes, autres = par_sexe.ventilation.categories.all()
    femmes.cible = 30
    femmes.save()
    resultat = ResultatFactory(indicateur=par_sexe, annee=2025, valeur=50)
    for categorie, valeur in [(femmes, "28.5"), (hommes, "19.5"), (autres, 2)]:
        ValeurCategorieFactory(resultat=resultat, categorie=categorie, valeur=valeur)
    ResultatFactory(indicateur=par_sexe, annee=2026, valeur=40)
    client = connecte(monde.equipe_1)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("evaluation:fiche", args=[monde.fiche_1a.pk])).content.decode()
    tableau = page[page.index("Répartition par sexe") :]
    tableau = tableau[: tableau.index("</table>")]
    assert re.search(r"Femmes</th>\s*<td>30</td>\s*<td>28,5 <span[^>]*>\(cible 30\)", tableau)
    assert "19,5" in tableau and "(non réparti)" in tableau  # 2026 has no breakdown
    # A partner reading the fiche's results sees the same table.
    partenaire = connecte(monde.user_partenaire_a)
    lecture = partenaire.get(reverse("evaluation:resultats_fiche", args=[monde.fiche_1a.pk]))
    assert "Répartition par sexe" in lecture.content.decode()


def test_echanger_deux_noms_et_id_d_un_autre_indicateur_ignore(monde, par_sexe):
    etrangere = CategorieVentilationFactory(ventilation__indicateur__fiche=monde.fiche_2a)
    client = connecte(monde.equipe_1)
    donnees = ouvrir_cibles(client, par_sexe)
    donnees.update(
        {
            "cible": "50",
            "ventilation": "sexe",
            "additive": "on",
            "cat_0_libelle": "Hommes",
            "cat_1_libelle": "Femmes",
            "cat_3_id": str(etrangere.pk),
            "cat_3_libelle": "Enfants",
        }
    )
    assert client.post(url_cibles(par_sexe), donnees).status_code == 302
    noms = CategorieVentilation.objects.filter(ventilation__indicateur=par_sexe)
    assert list(noms.values_list("libelle", flat=True)) == [
        "Hommes",
        "Femmes",
        "Non précisé",
        "Enfants",
    ]
    etrangere.refresh_from_db()
    assert etrangere.libelle.startswith("Catégorie")  # untouched


def test_l_export_des_indicateurs_donne_la_repartition_de_chaque_resultat(monde, par_sexe):
    from evaluation.exports import tableau_indicateurs

    sans = tableau_indicateurs(monde.projet_1)[0]
    assert not [e for e in sans if e.startswith("Répartition")]  # nothing broken down yet

    resultat = ResultatFactory(indicateur=par_sexe, annee=2025, valeur=Decimal("50.5"))
    femmes, hommes, _ = par_sexe.ventilation.categories.all()
    ValeurCategorieFactory(resultat=resultat, categorie=femmes, valeur=Decimal("30.5"))
    ValeurCategorieFactory(resultat=resultat, categorie=hommes, valeur=20)

    entetes, lignes = tableau_indicateurs(monde.projet_1)
    (ligne,) = [dict(zip(entetes, li, strict=True)) for li in lignes if li[4] == par_sexe.libelle]
    assert ligne["Répartition 2025"] == "Femmes : 30,5 ; Hommes : 20"
    assert ligne["Répartition 2026"] is None
