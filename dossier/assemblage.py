"""The dossier assembled from its parts, each rendered apart and kept by what it prints.

`rendu.en_pdf` lays out the whole dossier in one WeasyPrint pass (the reference). Here the
dossier is cut into parts that each start a page: the cover with the sommaire, each chapter,
and in the fiches' chapter each fiche (the first fiche of an axe with the axe's heading, the
first axe with the chapter's). Each part is rendered by WeasyPrint alone, its PDF kept in the
database (`PartieRendue`) by a digest of exactly what it prints: its HTML, the images it prints,
and `version_gabarit()` (stylesheet, fonts, this code, WeasyPrint). They are then assembled into
one tagged PDF, written object by object (`ecriture`: pikepdf reads one part at a time), and
each part's objects going into the file as a fragment numbered in a range of its own
(`plages`, `fragment`), kept as well: after one fiche edited, only its fragment is written
again, the others are copied as they are.

- page numbers: no part prints its own « page X / Y »; an untagged overlay (renders of the
  margin alone, PAGES_PAR_CALQUE pages each) is stamped on every page as an artifact. The
  sommaire and the lists of fiches print literal numbers, from the parts' page counts and
  anchors: only these parts (and the overlay, when the page count changes) depend on others;
- internal links: a part keeps its links to anchors of other parts (a placeholder anchor), and
  the named destinations of every part make one name tree;
- bookmarks: each part records its bookmarks with their CSS levels, nested over the whole
  dossier as WeasyPrint does (`make_page_bookmark_tree`);
- the structure tree: one Document whose kids are the parts' kids, the parent tree renumbered;
- fonts: each part embeds subsets of the same fonts with their glyph ids kept (WeasyPrint
  subsets with `retain_gids`): one program per font, cut by HarfBuzz to the glyphs of every
  part (`adopter_polices`, `ecrire_polices`).

The missing parts render in a pool of processes (`DOSSIER_PROCESSUS`, 2 by default), forked
by a server prepared once per worker (`processus`: no import of Django or WeasyPrint per export)
and needing no database, each holding one part at a time. The exporting process lays out
nothing, and never holds more than one part's PDF open.
"""

import hashlib
import io
import logging
import multiprocessing
import re
import threading
import zlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from multiprocessing import forkserver

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import CSS
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix
from weasyprint.text.fonts import FontConfiguration

from . import plan, processus
from .contenu import charger
from .ecriture import (
    OBJETS_PAR_FLUX,
    Ecrivain,
    Source,
    dictionnaire,
    nombre,
    reference,
    tableau,
)
from .models import PartieRendue
from .rendu import (
    DOSSIER_STATIC,
    FEUILLE,
    OPTIONS_PDF,
    HTMLDossier,
    LecteurFichiers,
    Rendu,
    assembler,
    collecte_differee,
    contexte_document,
    html_chapitre,
    html_fiche,
    liberer_pages,
    version_assemblee,
    version_gabarit,
    version_html,
)

logger = logging.getLogger(__name__)
# The subsets HarfBuzz writes have no creation date: fontTools says so for each one it reads.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)

# A part kept that no export used for this long is deleted.
CONSERVATION = timedelta(days=30)
# The page-number spans of the sommaire and of the lists of fiches (dossier/_entree.html).
NUMERO = re.compile(r'(<span class="page" data-cible="#([^"]+)")(></span>)')
# What every part adds to the stylesheet: the running header's text written out (the cover and
# the chapters' headings that set it are in other parts), and no page number (the overlay).
ENTETE = """@page {{ @top-left {{ content: "{haut}" }} @top-right {{ content: "{chapitre}" }}
@bottom-right {{ content: none }} }}
.entree .page::after {{ content: attr(data-numero) }}
"""
# The overlay of page numbers: the margin box of dossier.css alone, on pages of the same sizes.
SURIMPRESSION = """@page { @top-left { content: none } @top-right { content: none }
@bottom-right { content: string(numero) } }
body > div { break-before: page; height: 1px; string-set: numero attr(data-numero) }
.numero-sans { page: couverture } .numero-paysage { page: paysage }
"""
# Pages of the overlay per render: its memory stays that of a part.
PAGES_PAR_CALQUE = 40


@dataclass
class Morceau:
    """One part of the dossier: its HTML (its page-number spans empty, when it prints page
    numbers: `html_avec` fills them), the extra stylesheet of its header, and its render once
    known."""

    cle: str
    html: str
    css: str
    numerote: bool = False
    balise: bool = True  # tagged (PDF/UA); the overlay is not
    rendu: dict = field(default=None, repr=False)  # pdf, pages, details

    def html_avec(self, numeros):
        if not self.numerote:
            return self.html
        return NUMERO.sub(
            lambda m: f'{m[1]} data-numero="{numeros.get(m[2], "")}"{m[3]}', self.html
        )

    def empreinte(self, numeros=None):
        html = self.html_avec(numeros or {})
        return hashlib.sha256(
            f"{version_html(html)} {version_gabarit()} {self.css} {self.balise}".encode()
        ).hexdigest()

    def gabarit(self):
        return hashlib.sha256(f"{self.html} {self.css}".encode()).hexdigest()


# --- Cutting the dossier into parts ------------------------------------------------------


def chaine_css(texte):
    """A text as the inside of a CSS string."""
    return re.sub(r'[\\"]', lambda m: "\\" + m[0], " ".join(str(texte).split()))


def morceaux(contenu):
    """The parts of the dossier in order (`Morceau`), and the version of the whole dossier's
    HTML (the same as `rendu.html_dossier`'s, from the same fragments: the export's version),
    computed without writing it whole."""
    chapitres = plan.chapitres(contenu)
    contexte = contexte_document(contenu, apercu=False)
    haut = chaine_css(f"{contenu.structure.nom} · {contenu.projet.titre}")

    def morceau(cle, bloc, chapitre):
        css = ENTETE.format(haut=haut, chapitre=chaine_css(chapitre))
        html = assembler(contexte, [mark_safe(bloc)])  # noqa: S308 (our own templates' HTML)
        return Morceau(cle, html, css, numerote=bool(NUMERO.search(html)))

    couverture = render_to_string("dossier/couverture.html", {**contexte, "contenu": contenu})
    sommaire = render_to_string("dossier/sommaire.html", {"chapitres": chapitres})
    parties = [morceau("ouverture", couverture + sommaire, "Sommaire")]
    blocs = [couverture, sommaire]
    for chapitre in chapitres:
        if chapitre.cle == "fiches":
            fiches, html = morceaux_fiches(chapitre, contenu, morceau)
            parties += fiches
        else:
            html = html_chapitre(chapitre, contenu)
            parties.append(morceau(chapitre.cle, html, chapitre.titre))
        blocs.append(html)
    return parties, version_assemblee(contexte, blocs)


def morceaux_fiches(chapitre, contenu, morceau):
    """The fiches' chapter, one part per fiche, and the whole chapter's HTML. Each part sits in
    the same elements as in the whole dossier (the chapter's and its axe's sections) so that
    the same rules of dossier.css apply; an axe after the first follows an empty axe section
    (`.partie-axe:first-of-type`)."""
    parties = []
    for rang, partie in enumerate(chapitre.parties):
        fiches = partie.objet.fiches
        blocs = [html_fiche(fiche) for fiche in fiches]
        partie.blocs = blocs[:1]
        tete = render_to_string(
            "dossier/chapitre.html",
            {"chapitre": plan.Chapitre(chapitre.cle, chapitre.titre, chapitre.numero, [partie])},
        )
        if rang:
            # The chapter's heading and anchor are in the first part only.
            tete = re.sub(r"<h1>.*?</h1>", "", tete, count=1, flags=re.S)
            tete = tete.replace(
                f' id="{chapitre.ancre}">',
                '>\n<section class="partie partie-axe" hidden></section>',
                1,
            )
        parties.append(morceau(f"fiche-{fiches[0].pk}", tete, chapitre.titre))
        for fiche, bloc in zip(fiches[1:], blocs[1:], strict=True):
            enveloppe = (
                f'<section class="chapitre chapitre-{chapitre.cle}">'
                f'<section class="partie partie-axe">{bloc}</section></section>'
            )
            parties.append(morceau(f"fiche-{fiche.pk}", enveloppe, chapitre.titre))
        partie.blocs = blocs
    # As `html_chapitre` writes it, from the fiches' HTML already written.
    html = render_to_string("dossier/chapitre.html", {"chapitre": chapitre, "contenu": contenu})
    return parties, html


# --- Rendering one part -------------------------------------------------------------------


_FIL = threading.local()


def preparation():
    """This thread's fetcher, font configuration and parsed stylesheet, made once and reused by
    every part it renders: parsing dossier.css and loading its fonts cost each part as much as
    a short fiche's layout. Per thread: a FontConfiguration is not shared between threads."""
    if getattr(_FIL, "version", None) != version_gabarit():
        lecteur = LecteurFichiers()
        polices = FontConfiguration()
        feuille = CSS(filename=str(FEUILLE), url_fetcher=lecteur, font_config=polices)
        _FIL.version, _FIL.outils, _FIL.entetes = version_gabarit(), (lecteur, polices, feuille), {}
    return _FIL.outils


def feuille_entete(css):
    """The parsed stylesheet of a part's header (one per chapter), kept with `preparation`."""
    if css not in _FIL.entetes:
        _FIL.entetes[css] = CSS(string=css, font_config=_FIL.outils[1])
    return _FIL.entetes[css]


def rendre_morceau(html, css, balise=True):
    """WeasyPrint on one part: its PDF, pages, and what the assembly needs (each page's height,
    bookmarks and anchors, the anchors it links to in other parts). A link to another part's
    anchor is kept (WeasyPrint drops a link to a missing anchor) by a placeholder anchor on the
    part's first page, replaced at the assembly."""
    lecteur, polices, feuille = preparation()
    feuilles = [feuille, feuille_entete(css)]
    document = HTMLDossier(string=html, base_url=str(DOSSIER_STATIC) + "/", url_fetcher=lecteur)
    options = OPTIONS_PDF if balise else {}
    with collecte_differee():
        rendu = document.render(stylesheets=feuilles, font_config=polices, **options)
        del document
        ancres = {}
        for rang, page in enumerate(rendu.pages):
            for nom in page.anchors:
                ancres.setdefault(nom, rang)
        cibles = {lien[1] for page in rendu.pages for lien in page.links if lien[0] == "internal"}
        ailleurs = sorted(cibles - set(ancres))
        if rendu.pages:
            for nom in ailleurs:
                rendu.pages[0].anchors[nom] = (0, 0, 0, 0)
        details = {
            "hauteurs": [page.height for page in rendu.pages],
            "largeurs": [page.width for page in rendu.pages],
            "signets": [[list(s) for s in page.bookmarks] for page in rendu.pages],
            "ancres": ancres,
            "ailleurs": ailleurs,
        }
        pages = len(rendu.pages)
        pdf = rendu.write_pdf(finisher=liberer_pages, **options)
    return {"pdf": pdf, "pages": pages, "details": {**details, **numerotation(pdf)}}


def numerotation(pdf):
    """How many object numbers and parent-tree keys a part's PDF uses: its ranges in the
    dossier's file (`plages`)."""
    with pikepdf.open(io.BytesIO(pdf)) as lu:
        cles = 0
        if "/StructTreeRoot" in lu.Root:
            nombres = list(lu.Root.StructTreeRoot.ParentTree.Nums)
            cles = max((int(n) for n in nombres[::2]), default=-1) + 1
        return {"objets": int(lu.trailer.Size), "cles": cles}


# The pools' processes are forked by a prepared server (`processus`), started once per process.
FOURCHE = multiprocessing.get_context("forkserver")
FOURCHE.set_forkserver_preload(["dossier.amorce"])


def demarrer_serveur():
    """Start the fork server of the pools, if it is not running yet (it prepares itself while
    the export reads the projet; a pool waits for it)."""
    if getattr(settings, "DOSSIER_PROCESSUS", 2) >= 2:
        forkserver.ensure_running()


class Atelier:
    """The pool of processes of one export (`DOSSIER_PROCESSUS`), forked the first time a part
    is missing and kept for the rest of the export (the sommaire, the overlay). With a single
    process (`DOSSIER_PROCESSUS=1`: the tests) the parts render in this one."""

    def __init__(self):
        self.nombre = getattr(settings, "DOSSIER_PROCESSUS", 2)
        self.pool = None
        self.memoire_mo = 0  # the largest process's peak

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.lecture.close()
            self.veille.close()  # the pool's processes end (`processus.veiller`)

    def rendre(self, empreintes, demandes):
        """Yield (empreinte, rendu) as each part is rendered, the longest first."""
        empreintes = sorted(empreintes, key=lambda e: -len(demandes[e][1]))
        if self.nombre < 2:
            for empreinte in empreintes:
                partie, html, _ = demandes[empreinte]
                yield empreinte, rendre_morceau(html, partie.css, partie.balise)
            return
        if self.pool is None and empreintes:
            demarrer_serveur()
            self.lecture, self.veille = FOURCHE.Pipe(duplex=False)
            self.pool = ProcessPoolExecutor(
                self.nombre,
                mp_context=FOURCHE,
                initializer=processus.preparer,
                initargs=(self.lecture,),
            )
        futurs = {
            self.pool.submit(
                processus.rendre, demandes[e][1], demandes[e][0].css, demandes[e][0].balise
            ): e
            for e in empreintes
        }
        for futur in as_completed(futurs):
            # Let go of each future: it holds its part's PDF (a thousand fiches: 80 MB in all).
            empreinte, rendu = futurs.pop(futur), futur.result()
            del futur
            self.memoire_mo = max(self.memoire_mo, rendu.pop("memoire_mo"))
            yield empreinte, rendu

    def fragments(self, demandes):
        """`fragment(*arguments)` for each of `demandes`, in order: in the pool when it has
        been started (a cold export), else here."""
        if self.pool is None:
            return (fragment(*arguments) for arguments in demandes)
        return self.pool.map(processus.fragment, demandes)


def obtenir(demandes, atelier, progression=None):
    """The renders of `demandes` ({empreinte: (morceau, html, gabarit)}): from the cache, else
    rendered (in the export's pool of processes when there are enough) and kept. Their pages
    and details only: the PDFs stay in the database until the assembly reads them, one by
    one (`pdfs_de`)."""
    gardees = PartieRendue.objects.filter(empreinte__in=demandes).values_list(
        "empreinte", "pages", "details"
    )
    rendus = {e: {"empreinte": e, "pages": p, "details": d} for e, p, d in gardees}
    manquantes = [e for e in demandes if e not in rendus]
    lignes = []
    for faite, (empreinte, rendu) in enumerate(atelier.rendre(manquantes, demandes), 1):
        rendus[empreinte] = {"empreinte": empreinte, **{k: rendu[k] for k in ("pages", "details")}}
        lignes.append(
            PartieRendue(
                empreinte=empreinte,
                gabarit=demandes[empreinte][2],
                pdf=rendu["pdf"],
                pages=rendu["pages"],
                octets=len(rendu["pdf"]),
                details=rendu["details"],
            )
        )
        if len(lignes) >= LIGNES_PAR_ECRITURE or faite == len(manquantes):
            garder(lignes)
            lignes = []
        if progression:
            part = faite / len(manquantes)
            progression(10 + round(75 * part), f"Mise en page : partie {faite}/{len(manquantes)}")
    return rendus


# Renders written to the database together (one query; SQLite commits each write to disk).
LIGNES_PAR_ECRITURE = 20


def garder(lignes):
    """Keep these renders (`PartieRendue`), in one query, each replacing any kept under the
    same digest (another export may have rendered it meanwhile)."""
    PartieRendue.objects.bulk_create(
        lignes,
        update_conflicts=True,
        unique_fields=["empreinte"],
        update_fields=["gabarit", "pdf", "pages", "octets", "details", "utilisee_le"],
    )


# --- Page numbers -------------------------------------------------------------------------


def numeros_des_pages(parties):
    """Each anchor's page number in the assembled dossier (the first part that has it)."""
    numeros, debut = {}, 1
    for partie in parties:
        for nom, rang in partie.rendu["details"]["ancres"].items():
            numeros.setdefault(nom, str(debut + rang))
        debut += partie.rendu["pages"]
    return numeros


def rendre_numerotes(parties, numerotes, numeros, atelier):
    """The renders of the parts that print page numbers, with these numbers; alongside, the
    overlay of page numbers as the page counts stand (`surimpression` then finds it kept,
    unless these renders changed a page count)."""
    demandes = {}
    for partie in numerotes:
        html = partie.html_avec(numeros)
        demandes[partie.empreinte(numeros)] = (partie, html, partie.gabarit())
    calque = {m.empreinte(): (m, m.html, "") for m in calques(parties)}
    rendus = obtenir({**demandes, **calque}, atelier)
    for empreinte, (partie, _, _) in demandes.items():
        partie.rendu = rendus[empreinte]
    return list(demandes)


def calques(parties):
    """The overlay of page numbers, as `Morceau`s of PAGES_PAR_CALQUE pages each: pages of the
    same sizes as the dossier's, printing only the margin's « page X / Y » (written out, so that
    each piece renders alone), none on the cover."""
    pages = []
    for partie in parties:
        details = partie.rendu["details"]
        for largeur, hauteur in zip(details["largeurs"], details["hauteurs"], strict=True):
            pages.append("numero-paysage" if largeur > hauteur else "")
    total = len(pages)
    divisions = [
        '<div class="numero-sans"></div>'
        if rang == 0
        else f'<div class="{classe}" data-numero="page {rang + 1} / {total}"></div>'
        for rang, classe in enumerate(pages)
    ]
    return [
        Morceau(
            f"calque-{debut}",
            '<!doctype html><html lang="fr"><body>'
            + "".join(divisions[debut : debut + PAGES_PAR_CALQUE])
            + "</body></html>",
            SURIMPRESSION,
            balise=False,
        )
        for debut in range(0, total, PAGES_PAR_CALQUE)
    ]


def surimpression(parties, atelier):
    """The digests of the overlay's pieces, in order."""
    morceaux_calque = calques(parties)
    demandes = {m.empreinte(): (m, m.html, "") for m in morceaux_calque}
    obtenir(demandes, atelier)
    return list(demandes)


# --- Assembly -----------------------------------------------------------------------------


def pdfs_de(empreintes, lot=50):
    """The PDFs kept under these digests, in order, read from the database a few at a time."""
    for debut in range(0, len(empreintes), lot):
        morceau = empreintes[debut : debut + lot]
        pdfs = dict(
            PartieRendue.objects.filter(empreinte__in=morceau).values_list("empreinte", "pdf")
        )
        for empreinte in morceau:
            yield bytes(pdfs.pop(empreinte))


# The dossier's own objects; then each part's range of numbers (`plages`).
PAGES, DOCUMENT, RACINE_STRUCTURE, PREMIERE_POLICE = 1, 2, 3, 4
PREMIER_NUMERO = 16


def reserve(besoin):
    """The numbers kept for a part that needs `besoin`: a quarter more, rounded up, so that a
    part edited a little keeps its range, and the parts after it keep theirs (and their
    fragments, kept)."""
    return (besoin * 5 // 4 // 64 + 1) * 64


def plages(parties):
    """Each part's first object number and first parent-tree key in the dossier's file, and
    the first object number after every part's."""
    numero, cle, debuts = PREMIER_NUMERO, 0, []
    for partie in parties:
        details = partie.rendu["details"]
        debuts.append((numero, cle))
        numero += etendue(details)
        cle += reserve(details["cles"])
    return debuts, numero


def etendue(details):
    """The range of numbers kept for a part: its objects, then its object streams."""
    return reserve(besoin_de(details) + details["objets"] // OBJETS_PAR_FLUX + 2)


def besoin_de(details):
    """A part's object numbers: its PDF's, and what its pages gain at the assembly (the page
    numbers' form, the contents around it); its object streams come after."""
    return details["objets"] + 3 * len(details["hauteurs"])


def fragment(contenu, details, base, cle_base, premiere):
    """One part's objects written apart, as a fragment of the dossier's file: each object
    numbered from `base` (its own number plus `base`), the parent-tree keys from `cle_base`,
    the dossier's objects (page tree, Document, fonts) under their fixed numbers. It depends
    only on the part's PDF and these numbers: kept (`fragments`), it serves every export where
    the parts before it kept their ranges. Returns its bytes, and what the assembly needs of
    it (JSON: PDF syntax as latin-1 text)."""
    debut_flux = base + besoin_de(details)
    ecrivain = Ecrivain(debut_flux, fragment=True)
    with pikepdf.open(io.BytesIO(contenu)) as pdf:
        source = Source(ecrivain, pdf, base=base)
        glyphes = adopter_polices(source)
        racine = pdf.Root.StructTreeRoot
        source.numeros[pdf.Root.Pages.objgen] = PAGES
        source.numeros[racine.objgen] = DOCUMENT
        nombres = list(racine.ParentTree.Nums)
        arbre = [
            [int(nombres[i]) + cle_base, source.valeur(nombres[i + 1])]
            for i in range(0, len(nombres), 2)
        ]
        pages, marques = [], []
        for page in pdf.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + cle_base
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + cle_base
            # The page number: a form the assembly writes under this number.
            marque = pdf.make_indirect(pikepdf.Dictionary())
            marques.append(base + marque.objgen[0])
            source.numeros[marque.objgen] = marques[-1]
            source.plus_grand = max(source.plus_grand, marques[-1])
            nom = page.add_resource(marque, pikepdf.Name.XObject, prefix="Num")
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\n/Artifact BMC q " + bytes(nom) + b" Do Q EMC\n")
            pages.append(source.numero(page.obj))
        kids = racine.K
        if isinstance(kids, pikepdf.Array) and len(kids) == 1:
            kids = kids[0]
        if isinstance(kids, pikepdf.Dictionary) and kids.get("/S") == "/Document":
            if kids.is_indirect:
                source.numeros[kids.objgen] = DOCUMENT  # the part's own Document
            kids = kids.K  # its kids go under the dossier's
        enfants = [source.valeur(e) for e in (kids if isinstance(kids, pikepdf.Array) else [kids])]
        destinations, ailleurs = {}, set(details["ailleurs"])
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            for nom, destination in pikepdf.NameTree(pdf.Root.Names.Dests).items():
                if nom not in ailleurs and nom not in destinations:
                    destinations[nom] = source.valeur(destination)
        catalogue = None
        if premiere:
            catalogue = {
                "Lang": source.valeur(pdf.Root.Lang),
                "Metadata": source.valeur(pdf.Root.Metadata) if "/Metadata" in pdf.Root else None,
                "Info": source.valeur(pdf.trailer.Info),
            }
        source.vider()
    ecrivain.vider_lot()
    if source.plus_grand >= debut_flux or ecrivain.suivant > base + etendue(details):
        raise ValueError("Une partie du dossier dépasse les numéros qui lui sont réservés.")
    texte = bytes.decode  # PDF syntax is bytes; JSON keeps it as latin-1 text
    return ecrivain.sortie.getvalue(), {
        "entrees": [[n, *entree] for n, entree in ecrivain.entrees.items()],
        "pages": pages,
        "marques": marques,
        "enfants": [texte(e, "latin-1") for e in enfants],
        "arbre": [[cle, texte(v, "latin-1")] for cle, v in arbre],
        "destinations": {nom: texte(d, "latin-1") for nom, d in destinations.items()},
        "glyphes": {nom: sorted(g) for nom, g in glyphes.items()},
        "catalogue": catalogue and {k: v and texte(v, "latin-1") for k, v in catalogue.items()},
    }


def cle_de_fragment(partie, base, cle_base, premiere):
    return hashlib.sha256(
        f"fragment {partie.rendu['empreinte']} {base} {cle_base} {premiere} {version_gabarit()}".encode()
    ).hexdigest()


def cles_des_fragments(parties):
    """The digests the parts' fragments are kept under."""
    debuts, _ = plages(parties)
    return [
        cle_de_fragment(partie, base, cle, rang == 0)
        for rang, (partie, (base, cle)) in enumerate(zip(parties, debuts, strict=True))
    ]


def fragments(parties, debuts, atelier, lot=50):
    """Each part's fragment (bytes, what the assembly needs), in order: kept, or written (in
    the export's pool when it has one) and kept; read from the database a few at a time."""
    cles = cles_des_fragments(parties)
    for debut in range(0, len(parties), lot):
        tranche = range(debut, min(debut + lot, len(parties)))
        gardes = {
            e: (bytes(pdf), details)
            for e, pdf, details in PartieRendue.objects.filter(
                empreinte__in=[cles[i] for i in tranche]
            ).values_list("empreinte", "pdf", "details")
        }
        manquants = [i for i in tranche if cles[i] not in gardes]
        contenus = pdfs_de([parties[i].rendu["empreinte"] for i in manquants])
        faits = atelier.fragments(
            (contenu, parties[i].rendu["details"], *debuts[i], i == 0)
            for i, contenu in zip(manquants, contenus, strict=True)
        )
        for i, (octets, ce_qu_il_faut) in zip(manquants, faits, strict=True):
            gardes[cles[i]] = (octets, ce_qu_il_faut)
        garder(
            [
                PartieRendue(
                    empreinte=cles[i],
                    pdf=gardes[cles[i]][0],
                    pages=0,
                    octets=len(gardes[cles[i]][0]),
                    details=gardes[cles[i]][1],
                )
                for i in manquants
            ]
        )
        for i in tranche:
            yield gardes.pop(cles[i])


def assembler_pdf(parties, surimpression, atelier):
    """One tagged PDF from the parts' fragments (see the module's docstring and `fragment`)."""
    debuts, fin = plages(parties)
    ecrivain = Ecrivain(fin)
    pages, marques, enfants, arbre_parents, cle_suivante = [], [], [], [], 0
    destinations, glyphes, pages_css, catalogue = {}, {}, [], None
    latin = lambda texte: texte.encode("latin-1")  # noqa: E731
    for partie, (octets, morceau) in zip(parties, fragments(parties, debuts, atelier), strict=True):
        ecrivain.inserer(octets, {n: (genre, a, b) for n, genre, a, b in morceau["entrees"]})
        pages += morceau["pages"]
        marques += morceau["marques"]
        enfants += map(latin, morceau["enfants"])
        for numero, valeur in morceau["arbre"]:
            arbre_parents.append(b"%d %s" % (numero, latin(valeur)))
            cle_suivante = max(cle_suivante, numero + 1)
        for nom, destination in morceau["destinations"].items():
            destinations.setdefault(nom, latin(destination))
        for nom, gids in morceau["glyphes"].items():
            glyphes.setdefault(nom, set()).update(gids)
        catalogue = catalogue or {k: v and latin(v) for k, v in morceau["catalogue"].items()}
        details = partie.rendu["details"]
        for hauteur, signets in zip(details["hauteurs"], details["signets"], strict=True):
            pages_css.append(PageCSS(hauteur, [(s[0], s[1], tuple(s[2]), s[3]) for s in signets]))
    formes = formes_des_numeros(ecrivain, pdfs_de(surimpression), marques, glyphes)
    if formes != len(pages):
        raise ValueError("Le calque des numéros de page n'a pas autant de pages que le dossier.")
    ecrire_polices(ecrivain, glyphes)
    ecrivain.objet(
        PAGES,
        dictionnaire(Type=b"/Pages", Count=b"%d" % len(pages), Kids=tableau(map(reference, pages))),
    )
    ecrivain.objet(
        DOCUMENT,
        dictionnaire(
            Type=b"/StructElem", S=b"/Document", P=reference(RACINE_STRUCTURE), K=tableau(enfants)
        ),
    )
    arbre = ecrivain.reserver()
    ecrivain.objet(arbre, dictionnaire(Nums=tableau(arbre_parents)))
    ecrivain.objet(
        RACINE_STRUCTURE,
        dictionnaire(
            Type=b"/StructTreeRoot",
            K=tableau([reference(DOCUMENT)]),
            ParentTree=reference(arbre),
            ParentTreeNextKey=b"%d" % cle_suivante,
        ),
    )
    noms = ecrivain.reserver()
    ecrivain.objet(
        noms,
        dictionnaire(
            Names=tableau(
                b"%s %s" % (pikepdf.String(nom).unparse(), destinations[nom])
                for nom in sorted(destinations)
            )
        ),
    )
    racine = ecrivain.reserver()
    ecrivain.objet(
        racine,
        dictionnaire(
            Type=b"/Catalog",
            Pages=reference(PAGES),
            StructTreeRoot=reference(RACINE_STRUCTURE),
            Names=dictionnaire(Dests=reference(noms)),
            Outlines=ecrire_signets(ecrivain, pages_css, pages),
            Lang=catalogue["Lang"],
            Metadata=catalogue["Metadata"],
            MarkInfo=b"<< /Marked true >>",
            ViewerPreferences=b"<< /DisplayDocTitle true >>",
        ),
    )
    return ecrivain.finir(racine, int(catalogue["Info"].split()[0]))


def formes_des_numeros(ecrivain, surimpression_pdfs, marques, glyphes):
    """Each page's « page X / Y » from the overlay, written as a form under the number its page
    names (`marques`, in the dossier's order); one piece of the overlay open at a time.
    Returns how many pages the overlay had."""
    faites = 0
    for contenu in surimpression_pdfs:
        with pikepdf.open(io.BytesIO(contenu)) as calque:
            source = Source(ecrivain, calque)
            for nom, gids in adopter_polices(source).items():
                glyphes.setdefault(nom, set()).update(gids)
            for page in calque.pages:
                if faites < len(marques):
                    forme = calque.make_indirect(page.as_form_xobject())
                    source.placer(forme, marques[faites])
                faites += 1
            source.vider()
    return faites


@dataclass
class PageCSS:
    """What WeasyPrint's bookmark tree reads of a page."""

    height: float
    bookmarks: list


def ecrire_signets(ecrivain, pages_css, pages):
    """The bookmarks of every part, nested over the whole dossier as WeasyPrint nests them;
    the reference of the outlines (None without bookmarks)."""
    racine, sautes, niveau = [], [], 0
    derniers = [racine]
    for rang, page in enumerate(pages_css):
        niveau = make_page_bookmark_tree(
            page, sautes, derniers, niveau, rang, Matrix(a=0.75, d=-0.75, f=page.height * 0.75)
        )
    if not racine:
        return None
    plan_signets = ecrivain.reserver()
    premier, dernier, compte = ecrire_niveau(ecrivain, racine, plan_signets, pages)
    ecrivain.objet(
        plan_signets,
        dictionnaire(Type=b"/Outlines", Count=b"%d" % compte, First=premier, Last=dernier),
    )
    return reference(plan_signets)


def ecrire_niveau(ecrivain, signets, parent, pages):
    """Write one level of the bookmarks as WeasyPrint's `add_outlines`; returns its first and
    last items' references and its count of visible items."""
    numeros = [ecrivain.reserver() for _ in signets]
    compte = len(signets)
    for rang, (titre, (page, x, y), enfants, etat) in enumerate(signets):
        premier, dernier, sous_compte = ecrire_niveau(ecrivain, enfants, numeros[rang], pages)
        if etat != "closed":
            compte += sous_compte
        ecrivain.objet(
            numeros[rang],
            dictionnaire(
                Title=pikepdf.String(titre).unparse(),
                Parent=reference(parent),
                Dest=b"[ %d 0 R /XYZ %s %s 0 ]" % (pages[page], nombre(x), nombre(y)),
                Prev=reference(numeros[rang - 1]) if rang else None,
                Next=reference(numeros[rang + 1]) if rang + 1 < len(numeros) else None,
                First=premier,
                Last=dernier,
                Count=b"%d" % (-sous_compte if etat == "closed" else sous_compte),
            ),
        )
    if not numeros:
        return None, None, 0
    return reference(numeros[0]), reference(numeros[-1]), compte


# A subset's font name → the font file it was made from (None: not one of the dossier's).
FICHIERS_DES_SOUS_ENSEMBLES = {}


def adopter_polices(source):
    """Point the fonts of `source` at the dossier's font programs: each part embedded its own
    subset of the same fonts, all with the glyph ids of the whole font (WeasyPrint subsets with
    `retain_gids`), so one subset of a font's file holding the glyphs of every part serves every
    part's font dictionaries (their widths and text mappings stay theirs). Returns the glyphs
    these fonts print, by font file (`ecrire_polices` writes the programs last)."""
    glyphes = {}
    for objet in source.pdf.objects:
        if not (isinstance(objet, pikepdf.Dictionary) and objet.get("/Subtype") == "/CIDFontType2"):
            continue
        descripteur = objet.FontDescriptor
        if "/FontFile2" not in descripteur:
            continue
        nom = str(descripteur.FontName).split("+", 1)[-1]
        if nom not in FICHIERS_DES_SOUS_ENSEMBLES:
            FICHIERS_DES_SOUS_ENSEMBLES[nom] = fichier_de(descripteur.FontFile2)
        fichier = FICHIERS_DES_SOUS_ENSEMBLES[nom]
        if fichier is None:
            continue  # not one of the dossier's fonts: its own program is written
        glyphes.setdefault(fichier.name, set()).update(glyphes_de(objet))
        source.numeros[descripteur.FontFile2.objgen] = numero_de_police(fichier)
    return glyphes


def numero_de_police(fichier):
    """The fixed number of a font file's program in the dossier's file."""
    rang = sorted(fichiers_des_polices().values()).index(fichier)
    assert PREMIERE_POLICE + rang < PREMIER_NUMERO
    return PREMIERE_POLICE + rang


def ecrire_polices(ecrivain, glyphes):
    """The font programs, each cut to the glyphs of every part (`adopter_polices`)."""
    fichiers = {fichier.name: fichier for fichier in fichiers_des_polices().values()}
    for nom, gids in sorted(glyphes.items()):
        programme = sous_ensemble(fichiers[nom], gids | {0})
        ecrivain.flux(
            numero_de_police(fichiers[nom]),
            b"<< /Length1 %d /Filter /FlateDecode >>" % len(programme),
            zlib.compress(programme),
        )


@lru_cache(maxsize=1)
def fichiers_des_polices():
    """The dossier's font files, by their PostScript name."""
    from fontTools.ttLib import TTFont

    return {
        TTFont(fichier, lazy=True)["name"].getDebugName(6): fichier
        for fichier in sorted((DOSSIER_STATIC / "fonts").glob("*.ttf"))
    }


def fichier_de(programme):
    """The font file an embedded subset was made from."""
    from fontTools.ttLib import TTFont

    police = TTFont(io.BytesIO(programme.read_bytes()), lazy=True)
    return fichiers_des_polices().get(police["name"].getDebugName(6))


def glyphes_de(police):
    """The glyph ids a CID font prints: those its widths (`/W`) list."""
    glyphes, largeurs, i = set(), list(police.get("/W", [])), 0
    while i < len(largeurs):
        if isinstance(largeurs[i + 1], pikepdf.Array):
            glyphes.update(range(int(largeurs[i]), int(largeurs[i]) + len(largeurs[i + 1])))
            i += 2
        else:
            glyphes.update(range(int(largeurs[i]), int(largeurs[i + 1]) + 1))
            i += 3
    return glyphes


def sous_ensemble(fichier, glyphes):
    """The font file cut to these glyphs, their ids kept: HarfBuzz as WeasyPrint runs it
    (`Font._harfbuzz_subset`: the glyphs kept in place, then the empty ones after the last
    dropped), in a few milliseconds."""
    import uharfbuzz as hb

    police = hb.Face(hb.Blob.from_file_path(str(fichier)))
    drapeaux = (
        hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE
        | hb.SubsetFlags.NO_HINTING
        | hb.SubsetFlags.NOTDEF_OUTLINE
    )
    for gardes, en_place in ((glyphes, True), (range(max(glyphes) + 1), False)):
        entree = hb.SubsetInput()
        entree.glyph_set.update(gardes)
        entree.flags = drapeaux | hb.SubsetFlags.RETAIN_GIDS if en_place else drapeaux
        entree.drop_table_tag_set.update(
            int.from_bytes(table.encode(), "big") for table in TABLES_ENLEVEES
        )
        police = hb.subset(police, entree)
    return police.blob.data


# The tables WeasyPrint drops from the fonts it embeds.
TABLES_ENLEVEES = (
    "BASE",
    "DSIG",
    "EBDT",
    "EBLC",
    "EBSC",
    "GPOS",
    "GSUB",
    "JSTF",
    "LTSH",
    "PCLT",
    "SVG ",
)


# --- The dossier ----------------------------------------------------------------------------


def produire_par_parties(projet, progression=None, pages_estimees=None):
    """The dossier d'agrément assembled from its parts (the same document as
    `rendu.produire_dossier`), as a `Rendu`."""
    if progression:
        progression(2, "Lecture du projet social")
    demarrer_serveur()
    contenu = charger(projet)
    parties, version = morceaux(contenu)
    del contenu  # not needed while the parts render and assemble
    if progression:
        progression(5, "Préparation des parties")
    with Atelier() as atelier:
        utilisees = rendre_les_parties(parties, atelier, progression)
        if progression:
            progression(88, "Assemblage du PDF")
        calque = surimpression(parties, atelier)
        utilisees.update(calque)
        # Not kept whole: the export keeps it, and an export is not redone while its version
        # holds; an export asked again assembles it from the parts' kept fragments.
        pdf = assembler_pdf(parties, calque, atelier)
    if atelier.pool:
        logger.info(
            "Parties du dossier rendues dans %d processus, le plus gros à %d Mo",
            atelier.nombre,
            atelier.memoire_mo,
            extra={"memoire_processus_mo": atelier.memoire_mo},
        )
    utilisees.update(cles_des_fragments(parties))
    pages = sum(p.rendu["pages"] for p in parties)
    elaguer(utilisees)
    return Rendu(pdf=pdf, pages=pages, version=version)


def rendre_les_parties(parties, atelier, progression=None):
    """Every part's render (`Morceau.rendu`), those that print page numbers with the right ones;
    returns the digests used. A part that prints page numbers starts from the layout of its
    last render; never rendered, it is rendered with the others, its numbers left blank, for
    its page count and anchors: then, usually, once more with the numbers."""
    demandes = {p.empreinte(): (p, p.html, "") for p in parties if not p.numerote}
    numerotes = [p for p in parties if p.numerote]
    for partie in numerotes:
        precedente = (
            PartieRendue.objects.filter(gabarit=partie.gabarit()).order_by("-utilisee_le").first()
        )
        if precedente:
            partie.rendu = {"pages": precedente.pages, "details": precedente.details}
        else:
            demandes[partie.empreinte({})] = (partie, partie.html_avec({}), partie.gabarit())
    rendus = obtenir(demandes, atelier, progression)
    for empreinte, (partie, _, _) in demandes.items():
        partie.rendu = rendus[empreinte]
        if not partie.numerote:
            partie.html = ""  # rendered: only the parts that print page numbers render again
    utilisees = set(demandes)
    if progression:
        progression(86, "Mise en page du sommaire")
    for _tour in range(4):
        numeros = numeros_des_pages(parties)
        utilisees.update(rendre_numerotes(parties, numerotes, numeros, atelier))
        if numeros_des_pages(parties) == numeros:
            break
    else:
        logger.warning("Numéros de pages du sommaire instables : %s", parties[0].cle)
    return utilisees


def elaguer(utilisees):
    """The parts this export used are marked; those no export used for a while are deleted."""
    maintenant = timezone.now()
    PartieRendue.objects.filter(empreinte__in=utilisees).update(utilisee_le=maintenant)
    PartieRendue.objects.inutilisees(maintenant - CONSERVATION).delete()
