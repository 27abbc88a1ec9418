"""The dossier PDF itself: read back with pypdf, as the CAF will read it."""

import gc
import io
import re

import pytest
from django.db import transaction
from pypdf import PdfReader

from actions.models import FicheAction
from dossier.rendu import (
    HTMLDossier,
    html_dossier,
    produire_dossier,
    puces_en_texte,
    rendre_dossier,
    rendre_fiche,
    rendre_partie,
)
from projets.models import SectionProjet
from tests.factories import (
    EtapeEcheancierFactory,
    FicheActionFactory,
    IndicateurFactory,
    ProjetSocialFactory,
    SectionProjetFactory,
    SigleFactory,
)
from tests.outils import doubler_fiches


def lire(pdf):
    return PdfReader(io.BytesIO(pdf))


def textes(lecteur):
    return [page.extract_text() or "" for page in lecteur.pages]


def aplatir(texte):
    return re.sub(r"\s+", " ", texte)


def signets(lecteur, elements=None, niveau=0):
    """(niveau, titre, page) of every bookmark, pages counted from 1."""
    liste = []
    for element in lecteur.outline if elements is None else elements:
        if isinstance(element, list):
            liste += signets(lecteur, element, niveau + 1)
        else:
            liste.append((niveau, element.title, lecteur.get_destination_page_number(element) + 1))
    return liste


@pytest.fixture(scope="module")
def dossier_demo(django_db_setup, django_db_blocker):
    """The demo dossier, rendered once for the module (the data are rolled back after)."""
    from centresocial.demo import charger_demo
    from projets.models import ProjetSocial

    with django_db_blocker.unblock(), transaction.atomic():
        charger_demo(comptes_demo=False)
        projet = ProjetSocial.objects.select_related("structure").get(
            structure__slug="territoire-sud"
        )
        fiches = [(f.pk, f.code, f.titre) for f in FicheAction.objects.du_projet(projet)]
        familles = [
            (f.reference, f.titre)
            for f in FicheAction.objects.du_projet(projet).filter(projet_familles=True)
        ]
        rendu = produire_dossier(projet)
        transaction.set_rollback(True)
    lecteur = lire(rendu.pdf)
    return {
        "lecteur": lecteur,
        "textes": textes(lecteur),
        "fiches": fiches,
        "familles": familles,
        "pages": rendu.pages,
    }


def test_chaque_fiche_a_son_titre_dans_le_dossier(dossier_demo):
    tout = aplatir(" ".join(dossier_demo["textes"]))
    assert len(dossier_demo["fiches"]) == 47
    for _, code, titre in dossier_demo["fiches"]:
        assert f"{code}. {aplatir(titre)}" in tout


def test_le_sommaire_donne_la_page_ou_commence_chaque_fiche(dossier_demo):
    pages = dossier_demo["textes"]
    fin_sommaire = next(i for i, t in enumerate(pages) if "Préambule et contexte" in t and i > 1)
    sommaire = aplatir(" ".join(pages[1:fin_sommaire]))
    pages_signets = {
        titre: page for niveau, titre, page in signets(dossier_demo["lecteur"]) if niveau == 2
    }
    for _, code, titre in dossier_demo["fiches"]:
        entree = re.search(re.escape(f"{code}. {aplatir(titre)}") + r"[ .]*?(\d+)\b", sommaire)
        assert entree, f"« {titre} » manque au sommaire"
        page = int(entree[1])
        # The fiche's heading is on that page, and its bookmark points there too.
        assert "Contexte".upper() in pages[page - 1].upper()
        assert aplatir(titre)[:40] in aplatir(pages[page - 1])
        assert pages_signets[f"{code}. {titre}"] == page


def test_les_fiches_rattachees_donnent_leur_page(dossier_demo):
    """The list of the ACF fiches (projet familles) gives, like the sommaire, the page where
    each fiche starts."""
    pages = dossier_demo["textes"]
    debut = next(i for i, t in enumerate(pages) if "Fiches actions rattachées" in t)
    liste = aplatir(" ".join(pages[debut : debut + 2]))
    assert len(dossier_demo["familles"]) >= 5
    for reference, titre in dossier_demo["familles"]:
        entree = re.search(re.escape(f"{reference} {aplatir(titre)}") + r"[ .]*?p\. (\d+)\b", liste)
        assert entree, f"« {titre} » manque à la liste"
        assert aplatir(titre)[:40] in aplatir(pages[int(entree[1]) - 1])


def test_les_listes_des_chapitres_gardent_leurs_puces(dossier_demo):
    # The chapters' texts keep WeasyPrint's markers (`.texte li::marker` in the lighter
    # user-agent sheet); the text layer lists them after the items.
    preambule = next(t for t in dossier_demo["textes"][2:] if t.startswith("Préambule"))
    assert preambule.count("•") >= 4


def test_le_nombre_de_pages_est_celui_du_pdf(dossier_demo):
    # Counted before the pages are released to write the PDF (rendu.liberer_pages).
    assert dossier_demo["pages"] == len(dossier_demo["lecteur"].pages) > 100


def test_signets_des_chapitres_axes_et_fiches(dossier_demo):
    liste = signets(dossier_demo["lecteur"])
    premiers = [titre for niveau, titre, _ in liste if niveau == 0]
    assert "Sommaire" in premiers
    assert any("Synthèse du diagnostic" in t for t in premiers)
    assert any("Fiches actions par axe" in t for t in premiers)
    assert any("Sigles et abréviations" in t for t in premiers)
    axes = [titre for niveau, titre, _ in liste if niveau == 1 and "Axe" in titre]
    assert any("Axe 1 : Accéder à ses droits" in t for t in axes)
    assert sum(1 for niveau, _, _ in liste if niveau == 2) >= 47


def test_metadonnees_langue_et_balisage(dossier_demo):
    lecteur = dossier_demo["lecteur"]
    assert lecteur.metadata.title == "Centre social Territoire Sud · Projet social 2025–2028"
    assert lecteur.metadata.author == "Centre social Territoire Sud"
    catalogue = lecteur.trailer["/Root"]
    assert catalogue["/Lang"] == "fr"
    assert bool(catalogue["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalogue


def test_entete_pied_de_page_et_parties(dossier_demo):
    pages = dossier_demo["textes"]
    total = len(pages)
    assert "Demande d'agrément".upper() in pages[0].upper()
    assert "2025 – 2028" in pages[0]
    milieu = pages[total // 2]
    assert "Centre social Territoire Sud · Projet social de territoire 2025-2028" in milieu
    assert f"page {total // 2 + 1} / {total}" in milieu
    tout = " ".join(pages)
    for titre in ["Arbre des objectifs", "Budget prévisionnel", "Instances de gouvernance"]:
        assert titre in tout
    assert "Total des charges" in tout and "Total des produits" in tout
    # The fonts are embedded, not taken from the reader's machine.
    polices = {
        str(police["/BaseFont"])
        for page in dossier_demo["lecteur"].pages[:3]
        for police in page["/Resources"]["/Font"].values()
    }
    assert any("Lato" in p for p in polices)


@pytest.mark.django_db
def test_un_long_texte_passe_sur_plusieurs_pages_sans_rien_perdre():
    paragraphes = [
        f"Paragraphe numéro {i} du contexte, qui raconte le quartier." for i in range(400)
    ]
    fiche = FicheActionFactory(titre="Fiche très longue", contexte="\n\n".join(paragraphes))
    pages = textes(lire(rendre_fiche(FicheAction.objects.avec_details().get(pk=fiche.pk))))
    assert len(pages) > 3
    tout = aplatir(" ".join(pages))
    for i in range(400):
        assert f"Paragraphe numéro {i} du contexte" in tout


def test_chaque_fiche_commence_une_page(dossier_demo):
    """In the dossier each fiche starts a page: before its title, only its axe (and the
    chapter's and the axe's headings for the first one), nothing of the fiche before it."""
    pages = dossier_demo["textes"]
    pages_signets = {
        titre: page for niveau, titre, page in signets(dossier_demo["lecteur"]) if niveau == 2
    }
    for _, code, titre in dossier_demo["fiches"]:
        page = aplatir(pages[pages_signets[f"{code}. {titre}"] - 1])
        avant = page.split(f"{code}. {aplatir(titre)}")[0].upper()
        assert re.search(r"AXE [^–]+ – [^–]+$", avant), f"« {titre} » ne commence pas sa page"
        assert "CONTEXTE" not in avant and "FREINS" not in avant


@pytest.mark.django_db
def test_une_fiche_seule_commence_a_la_premiere_page():
    fiche = FicheActionFactory(titre="Une action en une page", contexte="Un contexte court.")
    pages = textes(lire(rendre_fiche(fiche)))
    assert len(pages) == 1
    assert "Une action en une page" in pages[0] and "Un contexte court." in pages[0]
    # So does a chapter printed alone.
    pages = textes(lire(rendre_partie(fiche.projet, "fiches")))
    assert len(pages) == 1
    assert "Fiches actions par axe" in pages[0] and "Une action en une page" in pages[0]


def pages_de_la_fiche(fiche):
    return textes(lire(rendre_fiche(FicheAction.objects.avec_details().get(pk=fiche.pk))))


def page_de(pages, texte):
    """The number (from 0) of the one page that holds `texte`."""
    trouvees = [i for i, page in enumerate(pages) if texte in aplatir(page)]
    assert len(trouvees) == 1, f"« {texte} » sur les pages {trouvees}"
    return trouvees[0]


@pytest.mark.django_db
def test_une_rangee_qui_tient_sur_une_page_n_est_pas_coupee():
    """The échéancier's row (115 mm high) follows a contexte that ends low on page 1: it moves
    whole to page 2, its row of titles with it; the contexte stays on page 1."""
    fiche = FicheActionFactory(
        contexte="\n\n".join(f"Ligne de contexte numéro {i}." for i in range(25)),
        resultats_attendus="Des habitants plus autonomes.",
    )
    for i in range(20):
        EtapeEcheancierFactory(fiche=fiche, ordre=i, libelle=f"Étape {i:02d} du calendrier")
    pages = pages_de_la_fiche(fiche)
    assert len(pages) == 2
    assert page_de(pages, "Ligne de contexte numéro 24.") == 0
    assert page_de(pages, "ÉCHÉANCIER") == 1
    assert page_de(pages, "Étape 00 du") == page_de(pages, "Étape 19 du") == 1
    assert page_de(pages, "Des habitants plus autonomes.") == 1


@pytest.mark.django_db
def test_une_rangee_plus_haute_qu_une_page_est_coupee_avec_ses_titres():
    """A row taller than a page still breaks, its row of titles above its first lines."""
    fiche = FicheActionFactory(contexte="Un contexte court.")
    for i in range(80):
        EtapeEcheancierFactory(fiche=fiche, ordre=i, libelle=f"Étape {i:02d} du calendrier")
    pages = pages_de_la_fiche(fiche)
    debut = page_de(pages, "Étape 00 du")
    assert page_de(pages, "ÉCHÉANCIER") == debut
    assert page_de(pages, "Étape 79 du") == debut + 1
    for i in range(80):  # each étape printed once
        page_de(pages, f"Étape {i:02d} du")


@pytest.mark.django_db
@pytest.mark.parametrize("lignes_en_plus", [0, 2])
def test_le_detail_d_un_indicateur_reste_avec_lui(lignes_en_plus):
    """No lone line at a page's top or bottom: an indicateur's label (one line) and its detail
    (three lines) are on the same page. The items come every 48 pt; the two cases shift them by
    25 pt, so that in one of them at least a page would end between a label and its detail."""
    fiche = FicheActionFactory(resultats_attendus="Des résultats.")
    IndicateurFactory(fiche=fiche, libelle="Premier indicateur" + " et suite" * 7 * lignes_en_plus)
    for i in range(45):
        IndicateurFactory(
            fiche=fiche,
            libelle=f"Indicateur {i:02d}",
            objet=f"Objet {i:02d} : " + "ce que cet indicateur mesure vraiment, " * 3,
            outil="grille remplie avec les participants",
        )
    pages = pages_de_la_fiche(fiche)
    assert len(pages) >= 3
    for i in range(45):
        assert page_de(pages, f"Indicateur {i:02d}") == page_de(pages, f"Objet {i:02d} :")


@pytest.mark.django_db
@pytest.mark.parametrize("lignes_en_plus", [0, 1, 2])
def test_pas_de_ligne_seule_d_un_paragraphe_en_haut_ou_en_bas_de_page(lignes_en_plus):
    """Paragraphs of three lines, one every 44 pt: shifted by one line, then two, one of the
    cases at least would end a page inside a paragraph, which must move whole (two lines at
    least on each side of a break: orphans, widows)."""
    premier = "Premier paragraphe" + " et suite" * 13 * lignes_en_plus
    paragraphes = [
        f"Début{i:02d} "
        + "du contexte qui raconte le quartier, ses habitants, " * 5
        + f"Fin{i:02d}"
        for i in range(30)
    ]
    fiche = FicheActionFactory(
        titre="Au long contexte", contexte="\n\n".join([premier, *paragraphes])
    )
    pages = pages_de_la_fiche(fiche)
    assert len(pages) >= 2
    # The first row breaks where it is, under the fiche's heading, rather than leave it alone.
    assert page_de(pages, "Au long contexte") == page_de(pages, "Premier paragraphe") == 0
    for i in range(30):
        assert page_de(pages, f"Début{i:02d}") == page_de(pages, f"Fin{i:02d}")


@pytest.mark.django_db
def test_caracteres_speciaux_et_emoji_imprimes_tels_quels():
    fiche = FicheActionFactory(
        titre='Moins de <10 ans & "parents" l\'été 😀',
        contexte="Pour les <10 ans & leurs « parents » 😀, <script>alert(1)</script> rien d'autre.",
    )
    pdf = rendre_fiche(FicheAction.objects.avec_details().get(pk=fiche.pk))
    tout = aplatir(" ".join(textes(lire(pdf))))
    assert 'Moins de <10 ans & "parents" l\'été 😀' in tout
    assert "Pour les <10 ans & leurs « parents » 😀," in tout
    assert "<script>" not in tout and b"/JavaScript" not in pdf  # user HTML never runs


@pytest.mark.django_db
def test_les_parties_vides_ne_sont_pas_imprimees():
    pleine = FicheActionFactory(titre="Fiche remplie", freins="Le manque de salles.")
    IndicateurFactory(fiche=pleine)
    FicheActionFactory(axe=pleine.axe, titre="Fiche vide", contexte="Un contexte.")
    projet = pleine.projet
    SectionProjetFactory(projet=projet, type=SectionProjet.Type.PREAMBULE, contenu="")
    pages = textes(lire(rendre_dossier(projet)))
    tout = " ".join(pages)
    # Chapters without content: no page, no sommaire entry.
    for absent in ["Préambule", "Sigles", "Budget prévisionnel", "Gouvernance"]:
        assert absent not in tout
    page_vide = next(t for t in pages if "Fiche vide" in t and "Un contexte" in t)
    assert "Freins".upper() not in page_vide.upper()
    assert "Indicateurs".upper() not in page_vide.upper()
    page_pleine = next(t for t in pages if "Fiche remplie" in t and "manque de salles" in t)
    assert "Freins à lever".upper() in page_pleine.upper()
    assert "Fiches de présence" in page_pleine  # the indicateur's outil


@pytest.mark.django_db
def test_une_partie_seule_en_pdf():
    fiche = FicheActionFactory(titre="Une action")
    projet = fiche.projet
    SigleFactory(projet=projet, sigle="CAF", signification="Caisse d'allocations familiales")
    pages = textes(lire(rendre_partie(projet, "sigles")))
    assert "Caisse d'allocations familiales" in " ".join(pages)
    assert "Une action" not in " ".join(pages)
    with pytest.raises(KeyError):
        rendre_partie(projet, "inconnu")


@pytest.mark.django_db
def test_projets_specifiques_listent_leurs_fiches():
    acf = FicheActionFactory(titre="Sorties familles", projet_familles=True)
    FicheActionFactory(axe=acf.axe, titre="Accueil jeunes", projet_jeunesse=True)
    html = html_dossier(acf.projet)
    chapitre = html.split('id="chapitre-projets"')[1].split('id="chapitre-fiches"')[0]
    familles, jeunesse = chapitre.split('id="projet-projet_jeunesse"')
    assert "Projet familles" in familles and "Projet jeunesse" in jeunesse
    assert "Sorties familles" in familles and "Accueil jeunes" not in familles
    assert "Accueil jeunes" in jeunesse and "Sorties familles" not in jeunesse


@pytest.mark.django_db
def test_le_rendu_ne_fait_pas_plus_de_requetes_avec_plus_de_fiches(
    demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        html_dossier(demo)
    doubler_fiches(demo)
    with django_assert_max_num_queries(25):
        html = html_dossier(demo)
    assert html.count('class="fiche"') == 94


@pytest.mark.django_db
def test_projet_sans_rien_donne_un_dossier_lisible():
    projet = ProjetSocialFactory(titre="Projet tout neuf")
    pages = textes(lire(rendre_dossier(projet)))
    assert "Projet tout neuf" in pages[0]
    assert "Sommaire" in pages[1]


def test_feuille_agent_allegee_sans_pseudo_elements_universels():
    """The lighter user-agent stylesheet (a memory saving) really drops the rules that
    gave every element six pseudo-element styles, and keeps the rest."""
    from weasyprint.html import UA

    from dossier.rendu import feuille_agent_dossier

    feuille = feuille_agent_dossier()
    assert not re.search(r"^::", feuille, flags=re.M)
    assert re.search(r"^\.texte li::marker \{", feuille, flags=re.M)
    assert "h1 { bookmark-level: 1 }" in feuille and "@footnote" in feuille
    # Without these rules in WeasyPrint's own sheet (a new version), this test says so.
    assert re.search(r"^::footnote-call \{", UA, flags=re.M)


@pytest.mark.django_db
def test_les_puces_et_numeros_des_listes_restent_imprimes():
    fiche = FicheActionFactory(
        titre="Fiche à listes",
        contexte="- premier point\n- second point\n\n1. étape une\n2. étape deux",
    )
    tout = aplatir(" ".join(textes(lire(rendre_fiche(fiche)))))
    # In a fiche, the bullets and numbers are written in the items' text (puces_en_texte).
    assert "• premier point" in tout and "• second point" in tout
    assert "1. étape une" in tout and "2. étape deux" in tout


def test_puces_ecrites_dans_le_texte_des_listes():
    html = (
        "<ul><li>a</li><li><strong>b</strong><ul><li>c</li></ul></li></ul>"
        "<ol><li><p>x</p><p>y</p></li><li>z</li></ol>"
        '<ul class="sans-puce"><li>n</li></ul><ul><li>d</li></ul>'
    )
    assert puces_en_texte(html) == (
        "<ul><li>•\u00a0a</li><li>•\u00a0<strong>b</strong><ul><li>–\u00a0c</li></ul></li></ul>"
        "<ol><li><p>1.\u00a0x</p><p>y</p></li><li>2.\u00a0z</li></ol>"
        '<ul class="sans-puce"><li>n</li></ul><ul><li>•\u00a0d</li></ul>'
    )


@pytest.mark.django_db
def test_participation_aujourd_hui_et_visee():
    fiche = FicheActionFactory(
        titre="Fiche participative", participation_actuelle=1, participation_visee=3
    )
    tout = aplatir(" ".join(textes(lire(rendre_fiche(fiche)))))
    assert "Participation des habitants · aujourd'hui : Information → visée : Concertation" in tout


@pytest.mark.django_db
def test_pas_de_collecte_automatique_pendant_le_rendu(monkeypatch):
    """The render turns the garbage collector off (en_pdf collects once, itself) and turns it
    back on after, even when it fails; a collector already off is left off."""
    fiche = FicheActionFactory(titre="Une action")
    etats = []
    produire_dossier(fiche.projet, progression=lambda *_: etats.append(gc.isenabled()))
    assert gc.isenabled()
    assert etats[0] is True and etats[-1] is False  # reading the projet, then the render

    gc.disable()
    try:
        rendre_fiche(fiche)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def echoue(*args, **kwargs):
        raise RuntimeError("mise en page impossible")

    monkeypatch.setattr(HTMLDossier, "render", echoue)
    with pytest.raises(RuntimeError):
        rendre_fiche(fiche)
    assert gc.isenabled()
