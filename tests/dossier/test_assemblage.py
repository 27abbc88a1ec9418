"""The dossier assembled from its parts (dossier/assemblage.py) is the one-piece dossier: same
pages, text, bookmarks, sommaire numbers, links; tagged; and only the parts that changed are
rendered again."""

import io
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from django.db import transaction
from pypdf import PdfReader

from dossier import assemblage
from dossier.models import PartieRendue
from dossier.rendu import produire_dossier
from projets.models import SectionProjet
from tests.factories import (
    AxeFactory,
    FicheActionFactory,
    LigneBudgetFactory,
    ProjetSocialFactory,
    SectionProjetFactory,
    SigleFactory,
)

LONG = "\n\n".join(
    f"Paragraphe {i} : les habitants du quartier ont dit ce qu'ils attendent du centre social, "
    "des ateliers, des permanences et des sorties familiales tout au long de l'année."
    for i in range(1, 30)
)


def construire_projet():
    """A small projet with every kind of part: cover and sommaire, text chapters (one over
    several pages), the fiches of two axes (one fiche over two pages), the projet familles
    listing its fiches with their pages, the budget and the sigles."""
    projet = ProjetSocialFactory(titre="Projet « Vivre ensemble »", structure__nom="Centre Ouest")
    SectionProjetFactory(projet=projet, type=SectionProjet.Type.PREAMBULE, contenu="Bonjour.")
    SectionProjetFactory(projet=projet, type=SectionProjet.Type.PORTRAIT, contenu=LONG)
    SectionProjetFactory(projet=projet, type=SectionProjet.Type.PROJET_FAMILLES, contenu="ACF.")
    for a in range(2):
        axe = AxeFactory(projet=projet, titre=f"Axe numéro {a + 1}")
        for f in range(3):
            FicheActionFactory(
                axe=axe,
                titre=f"Action {a + 1}.{f + 1}",
                contexte=LONG if (a, f) == (0, 1) else "Un contexte court.",
                presentation="Des ateliers chaque semaine.",
                projet_familles=f == 0,
            )
    LigneBudgetFactory(projet=projet)
    LigneBudgetFactory(projet=projet, produit=True)
    for _ in range(3):
        SigleFactory(projet=projet)
    return projet


def lire(pdf):
    return PdfReader(io.BytesIO(pdf))


def textes(lecteur):
    return [" ".join((page.extract_text() or "").split()) for page in lecteur.pages]


def signets(lecteur, elements=None, niveau=0):
    """(niveau, titre, page) of every bookmark."""
    liste = []
    for element in lecteur.outline if elements is None else elements:
        if isinstance(element, list):
            liste += signets(lecteur, element, niveau + 1)
        else:
            liste.append((niveau, element.title, lecteur.get_destination_page_number(element)))
    return liste


def liens(lecteur):
    """(page, anchor, page it leads to) of every internal link."""
    destinations = lecteur.named_destinations
    liste = set()
    for rang, page in enumerate(lecteur.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                nom = str(annotation["/Dest"])
                cible = destinations.get(nom)
                liste.add((rang, nom, cible and lecteur.get_destination_page_number(cible)))
    return liste


@pytest.fixture(scope="module")
def deux_rendus(django_db_setup, django_db_blocker, tmp_path_factory):
    """The projet rendered in one piece and assembled from its parts (rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        projet = construire_projet()
        fiches = {f.titre: f.pk for f in projet.fiches.all()}
        entier = produire_dossier(projet)
        parties = assemblage.produire_par_parties(projet)
        transaction.set_rollback(True)
    fichier = tmp_path_factory.mktemp("assemblage") / "parties.pdf"
    fichier.write_bytes(parties.pdf)
    (fichier.parent / "entier.pdf").write_bytes(entier.pdf)
    return {"entier": entier, "parties": parties, "fichier": fichier, "fiches": fiches}


def test_memes_pages_et_meme_texte(deux_rendus):
    entier, parties = lire(deux_rendus["entier"].pdf), lire(deux_rendus["parties"].pdf)
    assert deux_rendus["parties"].pages == deux_rendus["entier"].pages == len(parties.pages)
    assert len(parties.pages) > 10
    assert textes(parties) == textes(entier)
    # The running header and « page X / Y » are printed as in the one-piece dossier.
    total = len(parties.pages)
    milieu = textes(parties)[total // 2]
    assert "Centre Ouest · Projet « Vivre ensemble »" in milieu
    assert f"page {total // 2 + 1} / {total}" in milieu
    assert "page 1 /" not in textes(parties)[0]  # none on the cover
    assert deux_rendus["parties"].version == deux_rendus["entier"].version


def test_le_sommaire_et_les_fiches_rattachees_donnent_les_memes_pages(deux_rendus):
    entier, parties = lire(deux_rendus["entier"].pdf), lire(deux_rendus["parties"].pdf)
    sommaire = textes(parties)[1]
    assert sommaire == textes(entier)[1]
    pages = textes(parties)
    for titre in ["Action 1.3", "Action 2.1", "Action 2.3"]:
        # The page the sommaire gives is the one where the fiche starts.
        numero = int(re.search(rf"{re.escape(titre)}\D*?(\d+)", sommaire)[1])
        assert f". {titre} " in pages[numero - 1]
        assert f". {titre} " not in pages[numero - 2]
    # The fiche over two pages pushes the next ones: Action 1.3 is not on page 1.2 + 1.
    assert any("Fiches actions rattachées" in texte and "p. " in texte for texte in pages)


def test_memes_signets(deux_rendus):
    entier, parties = lire(deux_rendus["entier"].pdf), lire(deux_rendus["parties"].pdf)
    attendus = signets(entier)
    assert signets(parties) == attendus
    assert {niveau for niveau, _, _ in attendus} == {0, 1, 2}  # chapters, axes, fiches


def test_les_liens_internes_menent_aux_memes_pages(deux_rendus):
    entier, parties = lire(deux_rendus["entier"].pdf), lire(deux_rendus["parties"].pdf)
    assert liens(parties) == liens(entier)
    assert all(cible is not None for _, _, cible in liens(parties))
    fiche = f"fiche-{deux_rendus['fiches']['Action 2.2']}"
    assert any(nom == fiche and page == 1 for page, nom, _ in liens(parties))


def document_de(lecteur):
    racine = lecteur.trailer["/Root"]["/StructTreeRoot"]["/K"].get_object()
    return racine[0].get_object() if isinstance(racine, list) else racine


def test_pdf_balise_langue_titre(deux_rendus):
    infos = subprocess.run(
        ["pdfinfo", str(deux_rendus["fichier"])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", infos, re.M)
    assert "Title:           Centre Ouest · Projet social 2025–2028" in infos
    lecteur = lire(deux_rendus["parties"].pdf)
    racine = lecteur.trailer["/Root"]
    assert racine["/Lang"] == "fr"
    assert bool(racine["/MarkInfo"]["/Marked"])
    assert bool(racine["/ViewerPreferences"]["/DisplayDocTitle"])
    # One Document whose kids are the parts' kids: the same elements as the one-piece dossier's.
    document = document_de(lecteur)
    assert document["/S"] == "/Document"
    genres = Counter(enfant.get_object()["/S"] for enfant in document["/K"])
    attendus = Counter(
        e.get_object()["/S"] for e in document_de(lire(deux_rendus["entier"].pdf))["/K"]
    )
    assert genres == attendus
    assert genres["/Sect"] > 10
    nombres = racine["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    cles = [int(nombres[i]) for i in range(0, len(nombres), 2)]
    assert len(cles) == len(set(cles))  # renumbered without collisions
    for page in lecteur.pages:
        assert int(page["/StructParents"]) in cles


def test_chaque_police_est_embarquee_une_fois(deux_rendus):
    lecteur = lire(deux_rendus["parties"].pdf)
    programmes = {}
    for page in lecteur.pages:
        for police in page["/Resources"]["/Font"].values():
            descendante = police.get_object()["/DescendantFonts"][0].get_object()
            descripteur = descendante["/FontDescriptor"].get_object()
            nom = str(descripteur["/FontName"]).split("+")[-1]
            programmes.setdefault(nom, set()).add(descripteur.raw_get("/FontFile2").idnum)
    assert programmes and all(len(ids) == 1 for ids in programmes.values()), programmes
    assert len(deux_rendus["parties"].pdf) < 2 * len(deux_rendus["entier"].pdf)


@pytest.fixture
def rendus_comptes(monkeypatch):
    """The HTML of every part WeasyPrint renders (sequentially, in this process)."""
    rendus = []
    rendre = assemblage.rendre_morceau

    def compter(html, css, balise=True):
        rendus.append(html if balise else "surimpression")
        return rendre(html, css, balise)

    monkeypatch.setattr(assemblage, "rendre_morceau", compter)
    return rendus


def parties_de(rendus, fiches):
    """Which parts the renders were: a fiche's title, « sommaire », « surimpression »…"""
    noms = []
    for html in rendus:
        if html == "surimpression":
            noms.append(html)
        elif 'id="titre-sommaire"' in html:
            noms.append("sommaire")
        else:
            trouve = [titre for titre, pk in fiches.items() if f'id="fiche-{pk}"' in html]
            noms.append(trouve[0] if trouve else "chapitre")
    return sorted(noms)


@pytest.mark.django_db
def test_ne_rend_que_ce_qui_a_change(settings, rendus_comptes):
    settings.DOSSIER_PROCESSUS = 1
    projet = construire_projet()
    fiches = {f.titre: f.pk for f in projet.fiches.all()}
    etapes = []
    premier = assemblage.produire_par_parties(projet, lambda *etape: etapes.append(etape))
    assert len(rendus_comptes) >= 12 and rendus_comptes.count("surimpression") == 1
    # The export's progress goes forward, part after part, up to the assembly.
    pourcentages = [pourcentage for pourcentage, _ in etapes]
    assert pourcentages == sorted(pourcentages)
    assert any(p == 85 and e.startswith("Mise en page : partie ") for p, e in etapes)
    assert etapes[-1] == (88, "Assemblage du PDF")

    rendus_comptes.clear()
    assert textes(lire(assemblage.produire_par_parties(projet).pdf)) == textes(lire(premier.pdf))
    assert rendus_comptes == []  # nothing changed: nothing rendered

    fiche = projet.fiches.get(titre="Action 2.2")
    fiche.contexte = "Un contexte court, corrigé."
    fiche.save()
    rendus_comptes.clear()
    corrige = assemblage.produire_par_parties(projet)
    assert parties_de(rendus_comptes, fiches) == ["Action 2.2"]
    assert "Un contexte court, corrigé." in " ".join(textes(lire(corrige.pdf)))
    assert corrige.pages == premier.pages

    # A fiche one page longer: the sommaire (the next fiches' pages change) and the overlay of
    # page numbers follow; not the projet familles chapter, whose fiches (x.1) come before.
    fiche.contexte = LONG
    fiche.save()
    rendus_comptes.clear()
    allonge = assemblage.produire_par_parties(projet)
    assert allonge.pages == premier.pages + 1
    assert parties_de(rendus_comptes, fiches) == ["Action 2.2", "sommaire", "surimpression"]
    assert textes(lire(allonge.pdf)) == textes(lire(produire_dossier(projet).pdf))


@pytest.mark.django_db
def test_les_parties_inutilisees_sont_elaguees(settings):
    settings.DOSSIER_PROCESSUS = 1
    ancienne = PartieRendue.objects.create(empreinte="x", pdf=b"%PDF", pages=1, octets=4)
    PartieRendue.objects.filter(pk=ancienne.pk).update(
        utilisee_le=ancienne.utilisee_le - assemblage.CONSERVATION * 2
    )
    projet = ProjetSocialFactory()
    assemblage.produire_par_parties(projet)
    assert not PartieRendue.objects.filter(empreinte="x").exists()
    assert PartieRendue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_les_parties_se_rendent_dans_deux_processus(settings):
    """A cold export renders its parts in a pool of processes: the same dossier."""
    projet = construire_projet()
    settings.DOSSIER_PROCESSUS = 2
    en_pool = assemblage.produire_par_parties(projet)
    assert textes(lire(en_pool.pdf)) == textes(lire(produire_dossier(projet).pdf))


@pytest.mark.django_db
def test_une_page_en_paysage_garde_sa_taille_et_son_numero(settings):
    """The arbre of a projet over more than five years is printed in landscape: the overlay of
    page numbers has a landscape page there too."""
    settings.DOSSIER_PROCESSUS = 1
    projet = ProjetSocialFactory(annee_debut=2025, annee_fin=2030)  # six years
    FicheActionFactory(axe=AxeFactory(projet=projet), titre="Une action")
    entier = lire(produire_dossier(projet).pdf)
    parties = lire(assemblage.produire_par_parties(projet).pdf)
    tailles = [tuple(round(float(x)) for x in page.mediabox[2:]) for page in parties.pages]
    assert (842, 595) in tailles
    assert tailles == [tuple(round(float(x)) for x in p.mediabox[2:]) for p in entier.pages]
    assert textes(parties) == textes(entier)
    paysage = tailles.index((842, 595))
    assert f"page {paysage + 1} / {len(tailles)}" in textes(parties)[paysage]


@pytest.mark.lent
def test_le_dossier_de_la_demo_assemble_est_celui_d_un_seul_tenant(demo, settings):
    """The demo's 47 fiches, their images, tables and arbre: page for page the same text,
    the same bookmarks and the same links as the one-piece render."""
    settings.DOSSIER_PROCESSUS = 1
    entier = lire(produire_dossier(demo).pdf)
    parties = lire(assemblage.produire_par_parties(demo).pdf)

    assert len(parties.pages) == len(entier.pages) > 100
    assert textes(parties) == textes(entier)
    assert signets(parties) == signets(entier)
    assert liens(parties) == liens(entier)


@pytest.mark.django_db
def test_une_fiche_modifiee_ne_reecrit_que_son_fragment(settings, monkeypatch):
    """Each part's objects are written once into the dossier's file, in a range of numbers of
    its own (`assemblage.fragment`), and kept: a fiche edited, only its fragment is written
    again; the file stays one that qpdf reads without a fault."""
    settings.DOSSIER_PROCESSUS = 1
    projet = construire_projet()
    fiche = projet.fiches.get(titre="Action 2.2")
    ecrits = []
    fragment = assemblage.fragment

    def compter(contenu, details, *arguments):
        ecrits.append(sorted(details["ancres"]))
        return fragment(contenu, details, *arguments)

    monkeypatch.setattr(assemblage, "fragment", compter)
    premier = assemblage.produire_par_parties(projet)
    assert len(ecrits) > 10
    assert sum(f"fiche-{fiche.pk}" in ancres for ancres in ecrits) == 1

    fiche.contexte = "Un contexte court, corrigé."
    fiche.save()
    ecrits.clear()
    corrige = assemblage.produire_par_parties(projet)
    assert len(ecrits) == 1 and f"fiche-{fiche.pk}" in ecrits[0]
    assert "Un contexte court, corrigé." in " ".join(textes(lire(corrige.pdf)))
    for pdf in (premier.pdf, corrige.pdf):
        with pikepdf.open(io.BytesIO(pdf)) as lu:
            assert lu.check_pdf_syntax() == []
            assert len(lu.pages) == premier.pages


def en_vie(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    etat = Path(f"/proc/{pid}/status")
    return not (etat.exists() and "State:\tZ" in etat.read_text())


@pytest.mark.django_db
def test_les_processus_du_pool_s_arretent_quand_l_export_disparait(settings):
    """A pool's processes are the fork server's children, not the exporter's: when the exporter
    dies (killed, out of memory), its end of the watch pipe closes and they end, instead of
    waiting for parts for ever with the server kept alive by them."""
    settings.DOSSIER_PROCESSUS = 2
    atelier = assemblage.Atelier()
    morceau = assemblage.Morceau(
        "essai", '<!doctype html><html lang="fr"><body><p>Essai</p></body></html>', ""
    )
    rendus = list(atelier.rendre(["e"], {"e": (morceau, morceau.html, "")}))
    assert rendus[0][0] == "e" and rendus[0][1]["pages"] == 1
    pids = list(atelier.pool._processes)
    assert pids and all(en_vie(pid) for pid in pids)
    atelier.veille.close()  # what the kernel does to the killed exporter's descriptors
    limite = time.monotonic() + 20
    while any(en_vie(pid) for pid in pids) and time.monotonic() < limite:
        time.sleep(0.1)
    assert not any(en_vie(pid) for pid in pids)
    atelier.pool.shutdown(wait=False, cancel_futures=True)


@pytest.mark.django_db
def test_la_version_se_calcule_sans_ecrire_le_dossier_entier():
    """The export's version from the blocks, without joining them: the same as the whole
    HTML's (accents, « guillemets », an image of the storage, which counts by its file too)."""
    from django.utils.safestring import mark_safe

    from dossier.contenu import charger
    from dossier.rendu import assembler, contexte_document, version_assemblee, version_de

    contexte = contexte_document(charger(ProjetSocialFactory()), apercu=False)
    blocs = [
        mark_safe("<p>Été « ensemble »</p>"),
        mark_safe('<img src="stockage:logos/absent.png" alt="">'),
        mark_safe("<p>Fin</p>"),
    ]
    assert version_assemblee(contexte, blocs) == version_de(assembler(contexte, blocs))
    assert version_assemblee(contexte, blocs[:2]) != version_assemblee(contexte, blocs)
