"""Render the dossier (or one of its parts) to PDF with WeasyPrint.

Each part is an HTML fragment rendered on its own (`html_fiche`, `html_chapitre`); the dossier
is these fragments assembled into one document, so WeasyPrint numbers its pages and fills the
sommaire in a single pass. Fragments depend only on their own rows: a fiche's HTML can be
cached by its version and the fragments built in parallel before the one WeasyPrint call.
"""

import base64
import gc
import hashlib
import io
import logging
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import autoreload
from django.utils.safestring import mark_safe

# WeasyPrint logs every step and page at INFO: SuiviWeasyPrint turns that into the export's
# progress; it is not worth printing in the server's or the worker's log.
logging.getLogger("weasyprint.progress").propagate = False

import weasyprint  # noqa: E402
from weasyprint import CSS, HTML, URLFetcher  # noqa: E402
from weasyprint.html import UA, UA_COUNTER_STYLE  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

from centresocial.lib import stockage  # noqa: E402
from centresocial.lib.images import format_image  # noqa: E402

from . import plan  # noqa: E402
from .contenu import charger  # noqa: E402

DOSSIER_STATIC = Path(settings.BASE_DIR) / "static" / "dossier"
FEUILLE = DOSSIER_STATIC / "dossier.css"
CODE_DOSSIER = Path(__file__).resolve().parent
# Tagged PDF/UA-1: headings, tables and lists are announced by screen readers.
OPTIONS_PDF = {"pdf_variant": "pdf/ua-1"}


@dataclass
class Rendu:
    pdf: bytes
    pages: int
    version: str = ""  # of the HTML rendered (`version_de`), when it is a whole dossier


class LecteurFichiers(URLFetcher):
    """Reads the stylesheet and fonts from the dossier's static folder, and the uploaded images
    (logo, sections' pictures: `stockage:` URLs) through the file storage, local or S3: never
    an HTTP request (not even to our own server), and nothing else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(stockage.PREFIXE):
            contenu = stockage.lire(url)
            trouve = format_image(io.BytesIO(contenu))
            type_mime = f"image/{trouve[0].lower()}" if trouve else "application/octet-stream"
            return URLFetcherResponse(url, body=contenu, headers={"Content-Type": type_mime})
        chemin = Path(unquote(urlparse(url).path)).resolve()
        if url.startswith("file:") and chemin.is_relative_to(DOSSIER_STATIC.resolve()):
            return super().fetch(url, headers)
        raise ValueError(f"Ressource refusée dans le dossier PDF : {url}")


def feuille_agent_dossier(ua=UA):
    """WeasyPrint's user-agent stylesheet without its universal pseudo-element rules.

    `::marker` and the five `::footnote-*` / `::note-*` rules match every element, so
    WeasyPrint 70 builds six extra computed styles per element: 210 of the 980 MB that a
    200-fiche dossier needed. Markers are only drawn in the lists of the chapters' texts
    (`.texte`: a fiche's lists write their bullets, see `puces_en_texte`), and the dossier
    has no footnotes (`float: footnote`); the rendered pages are identical.
    """
    sans_notes = re.sub(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", "", ua, flags=re.M)
    return re.sub(r"^::marker \{", ".texte li::marker {", sans_notes, flags=re.M)


def _feuille_ua():
    # Parsing the UA sheet again into the shared counter styles re-declares `disc` and
    # `decimal`, which WeasyPrint already knows and warns about: silence that one parse.
    logger = logging.getLogger("weasyprint")
    niveau = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return CSS(string=feuille_agent_dossier(), counter_style=UA_COUNTER_STYLE)
    finally:
        logger.setLevel(niveau)


UA_DOSSIER = _feuille_ua()


class HTMLDossier(HTML):
    """WeasyPrint's HTML with the lighter user-agent stylesheet above."""

    def _ua_stylesheets(self, forms=False):
        return [UA_DOSSIER]


# --- Versions: what the PDF is made of ---------------------------------------------------


@lru_cache(maxsize=1)
def version_gabarit():
    """A digest of what turns the dossier's HTML into its PDF: the stylesheet and its fonts, the
    Python of this app (the WeasyPrint set-up is here: user-agent stylesheet, PDF/UA options)
    and WeasyPrint's version. The templates and the Python that write the HTML (`plan`,
    `contenu`, the texte and nombres helpers) need no digest of their own: their output is in
    `version_html`."""
    empreinte = hashlib.sha1(f"WeasyPrint {weasyprint.__version__}".encode())
    fichiers = [*DOSSIER_STATIC.rglob("*"), *CODE_DOSSIER.glob("*.py")]
    for fichier in sorted(f for f in fichiers if f.is_file()):
        empreinte.update(fichier.name.encode())
        empreinte.update(fichier.read_bytes())
    return empreinte.hexdigest()[:10]


# An uploaded image the dossier prints (`source_image`).
FICHIER_IMPRIME = re.compile(r'src="(stockage:[^"]+)"')


def version_de(html):
    """The content version of a dossier's HTML: what it prints, and how it is laid out."""
    return f"{version_html(html)}-{version_gabarit()}"


def version_html(html):
    """A digest of the dossier's HTML (`html_dossier`, not the preview) and of the files it
    prints: an image's name is in the HTML, its size and date here (a file replaced in the
    storage under the same name, by a restore)."""
    return version_des_morceaux([html])


def version_des_morceaux(morceaux):
    """`version_html` of the HTML these pieces make one after the other, without joining them
    (a dossier of a thousand fiches: megabytes)."""
    empreinte, urls = hashlib.sha256(), set()
    for morceau in morceaux:
        empreinte.update(morceau.encode())
        urls.update(FICHIER_IMPRIME.findall(morceau))
    for url in sorted(urls):
        fichier = stockage.empreinte(url)
        if fichier is None:
            continue  # the render will say the file is missing
        empreinte.update(f"{url} {fichier}".encode())
    return empreinte.hexdigest()[:24]


# --- HTML: fragments and documents -----------------------------------------------------


def en_ligne(image):
    """An uploaded image as a data: URI for the browser preview: uploaded files are never served
    as they are (see centresocial/urls.py), and the Content Security Policy allows data: images.
    Typed by its content, as it was checked at upload."""
    with image.open("rb") as fichier:
        trouve = format_image(fichier)
        contenu = base64.b64encode(fichier.read()).decode()
    type_mime = f"image/{trouve[0].lower()}" if trouve else "image/png"
    return f"data:{type_mime};base64,{contenu}"


def source_image(image, apercu):
    """Where the dossier reads an uploaded image: from the file storage for the PDF (through
    `LecteurFichiers`), inline for the preview."""
    return en_ligne(image) if apercu else stockage.url_stockage(image)


def placer_images(contenu, apercu):
    """Give each image of the sections its `src` (the templates don't know the medium)."""
    for section in contenu.sections:
        for image in section.images.all():
            image.src = source_image(image.image, apercu)


def html_fiche(fiche):
    """One fiche action as its bordered table (a fragment; `avec_details()` rows prefetched).

    Kept in this process by the digest of every row it is written from (`empreinte_lignes`):
    written again only when one of them changed. The digest costs a tenth of the template, and
    the dossier's version, asked by its page and by every export, writes every fiche."""
    cle = empreinte_lignes(fiche)
    with _VERROU_FICHES:
        html = _FICHES_ECRITES.get(cle)
        if html is not None:
            _FICHES_ECRITES.move_to_end(cle)
            return html
    html = puces_en_texte(render_to_string("dossier/fiche.html", plan.contexte_fiche(fiche)))
    with _VERROU_FICHES:
        _FICHES_ECRITES[cle] = html
        while len(_FICHES_ECRITES) > FICHES_GARDEES:
            _FICHES_ECRITES.popitem(last=False)
    return html


# The fiches' HTML kept in this process (`html_fiche`), the least recently used dropped first:
# about 8 kB each. Emptied when a file changes under the development server (a template, which
# it reloads without restarting).
FICHES_GARDEES = 2000
_FICHES_ECRITES = OrderedDict()
_VERROU_FICHES = threading.Lock()


def oublier_les_fiches(**kwargs):
    with _VERROU_FICHES:
        _FICHES_ECRITES.clear()


autoreload.file_changed.connect(oublier_les_fiches, dispatch_uid="dossier.oublier_les_fiches")


def empreinte_lignes(objet):
    """A digest of a model instance as it was loaded and of every instance reached from it: its
    attributes, the related rows cached by `select_related` and `prefetch_related`, and theirs.
    The fiche's template reads nothing else (its queries are all prefetched). A value whose
    text does not say all of it (an object shown by its address) changes the digest each time:
    never kept, never stale."""
    texte, vus, pile = [], set(), [objet]
    while pile:
        courant = pile.pop()
        if id(courant) in vus:
            texte.append("^")  # the same instance again, already written
            continue
        vus.add(id(courant))
        texte.append(type(courant).__qualname__)
        lies = []
        for nom, valeur in courant.__dict__.items():
            if type(valeur) in SIMPLES:
                texte.append(f"{nom}={valeur!r}")
            elif nom in ("_state", "_prefetched_objects_cache"):
                continue
            elif isinstance(valeur, Model) or (
                isinstance(valeur, list | tuple) and any(isinstance(v, Model) for v in valeur)
            ):
                lies.append((nom, valeur))  # a `to_attr` prefetch, or rows set by our code
            else:
                texte.append(f"{nom}={valeur!r}")
        lies += sorted(courant._state.fields_cache.items())
        lies += sorted(getattr(courant, "_prefetched_objects_cache", {}).items())
        for nom, lie in lies:
            lignes = list(lie) if isinstance(lie, QuerySet | list | tuple) else [lie]
            texte.append(f"\x1e{nom}:{len(lignes)}")
            for ligne in reversed(lignes):
                if isinstance(ligne, Model):
                    pile.append(ligne)
                else:
                    texte.append(repr(ligne))
    return hashlib.sha256("\x1f".join(texte).encode()).digest()


# Values whose repr says all of them (the attributes of most rows).
SIMPLES = {str, int, bool, float, type(None), Decimal, date, datetime}


BALISE_LISTE = re.compile(r"<(/?)(ul|ol|li)\b([^>]*)>(\s*<p>)?")
DEBUT = re.compile(r'start="(\d{1,4})"')


def lettre(rang):
    """a, b, … z, aa, ab…: how `<ol type="a">` counts."""
    texte = ""
    while rang > 0:
        rang, reste = divmod(rang - 1, 26)
        texte = chr(ord("a") + reste) + texte
    return texte


def puces_en_texte(html):
    """Writes the bullet (or the number) of each item of the plain `<ul>` / `<ol>` lists into
    its text, for lists styled without markers (`.fiche-table`).

    WeasyPrint lays out an outside `::marker` as an absolutely positioned box of its own, drawn
    and tagged apart: the markers of the fiches' lists cost 70 of the 620 MB that a
    200-fiche dossier needed. A list with a class (`class="sans-puce"`…) is left alone; an
    ordered list counts from its `start`, with letters when its `type` is « a ».
    """
    listes = []  # for each open list: its kind (None: no bullets), its last number, letters?

    def remplacer(balise):
        fermante, nom, attributs, paragraphe = balise.groups()
        if nom != "li":
            if not fermante:
                debut = DEBUT.search(attributs)
                genre = None if "class=" in attributs else nom
                listes.append([genre, int(debut[1]) - 1 if debut else 0, 'type="a"' in attributs])
            elif listes:
                listes.pop()
            return balise[0]
        if fermante or not listes or listes[-1][0] is None:
            return balise[0]
        liste = listes[-1]
        liste[1] += 1
        if liste[0] == "ol":
            puce = f"{lettre(liste[1]) if liste[2] else liste[1]}."
        else:
            puce = "•" if len(listes) == 1 else "–"
        return f"<li{attributs}>{paragraphe or ''}{puce}\u00a0"

    return mark_safe(BALISE_LISTE.sub(remplacer, html))  # noqa: S308 (our own template's HTML)


def html_chapitre(chapitre, contenu):
    if chapitre.cle == "fiches":
        for partie in chapitre.parties:
            partie.blocs = [html_fiche(fiche) for fiche in partie.objet.fiches]
    return render_to_string("dossier/chapitre.html", {"chapitre": chapitre, "contenu": contenu})


def contexte_document(contenu, apercu):
    projet, structure = contenu.projet, contenu.structure
    logo = source_image(structure.logo, apercu) if structure.logo else ""
    placer_images(contenu, apercu)
    return {
        "projet": projet,
        "structure": structure,
        "logo": logo,
        "apercu": apercu,
        "titre_document": f"{structure.nom} · Projet social {projet.periode}",
    }


def assembler(contexte, blocs):
    return render_to_string("dossier/document.html", {**contexte, "blocs": blocs})


def version_assemblee(contexte, blocs):
    """`version_de(assembler(contexte, blocs))`, without writing the whole document: its head
    and tail around the blocks (each followed by a line break, as document.html writes them)."""
    reperes = [mark_safe(f"<!--bloc {i}-->") for i in range(2)]  # noqa: S308
    tete, premier, entre, second, queue = re.split(
        r"(<!--bloc \d-->)", assembler(contexte, reperes)
    )
    if entre != "\n" or not queue.startswith("\n"):
        return version_de(assembler(contexte, blocs))  # another layout: the plain way
    morceaux = [tete]
    for bloc in blocs:
        morceaux += [bloc, "\n"]
    morceaux.append(queue[1:])
    return f"{version_des_morceaux(morceaux)}-{version_gabarit()}"


def html_dossier(projet, apercu=False, contenu=None):
    """The whole dossier as one HTML document: cover, sommaire, then every chapter."""
    contenu = contenu or charger(projet)
    chapitres = plan.chapitres(contenu)
    contexte = contexte_document(contenu, apercu)
    blocs = [
        render_to_string("dossier/couverture.html", {**contexte, "contenu": contenu}),
        render_to_string("dossier/sommaire.html", {"chapitres": chapitres}),
        *(html_chapitre(chapitre, contenu) for chapitre in chapitres),
    ]
    return assembler(contexte, blocs)


def html_partie(projet, cle, apercu=False):
    """One chapter alone (« fiches », « gouvernance »…), with the running header."""
    contenu = charger(projet)
    chapitre = next((c for c in plan.chapitres(contenu) if c.cle == cle), None)
    if chapitre is None:
        raise KeyError(f"Le dossier n'a pas de chapitre « {cle} ».")
    contexte = contexte_document(contenu, apercu)
    entete = render_to_string("dossier/entete.html", contexte)
    return assembler(contexte, [entete, html_chapitre(chapitre, contenu)])


def html_fiche_seule(fiche, apercu=False):
    from .contenu import Contenu

    projet = fiche.projet
    contenu = Contenu(projet, projet.structure, [], [], [], [], None, [])
    contexte = contexte_document(contenu, apercu)
    contexte["titre_document"] = f"{fiche.reference}. {fiche.titre}"
    entete = render_to_string("dossier/entete.html", contexte)
    return assembler(contexte, [entete, html_fiche(fiche)])


# --- PDF ----------------------------------------------------------------------------------


def en_pdf(html, progression=None, pages_estimees=None):
    """WeasyPrint on an HTML string; `progression(pourcentage, etape)` follows the layout.

    Memory (a 200-fiche dossier, 431 pages): the layout's garbage is collected before the
    PDF is written, and the pages are released before it is serialised (`liberer_pages`).
    """
    lecteur = LecteurFichiers()
    # A FontConfiguration per render: the @font-face fonts load into it, and it is not
    # shared between threads.
    polices = FontConfiguration()
    feuille = CSS(filename=str(FEUILLE), url_fetcher=lecteur, font_config=polices)
    document = HTMLDossier(string=html, base_url=str(DOSSIER_STATIC) + "/", url_fetcher=lecteur)
    with SuiviWeasyPrint(progression, pages_estimees), collecte_differee():
        rendu = document.render(stylesheets=[feuille], font_config=polices, **OPTIONS_PDF)
        del document
        # The layout leaves its context (cascade, the box tree before pagination, discarded
        # repaginations) as reference cycles: free them before the PDF is written, so that
        # writing reuses that memory instead of growing the heap (−36 MB at the peak).
        gc.collect()
        pages = len(rendu.pages)
        pdf = rendu.write_pdf(finisher=liberer_pages, **OPTIONS_PDF)
    return Rendu(pdf=pdf, pages=pages)


@contextmanager
def collecte_differee():
    """No automatic garbage collection during a render: the full collections it triggers
    while WeasyPrint lays out and writes (15 for a 200-fiche dossier, over a million
    objects each) find nothing to free and cost a sixth of the time; `en_pdf` collects once,
    where the garbage is. The collector is process-wide: it is only turned back on by the
    render that turned it off."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


def liberer_pages(document, pdf):
    """WeasyPrint's `finisher` hook, called once every page is painted and tagged, before
    the PDF objects are serialised: the laid-out pages (their boxes, styles) are no longer
    needed, so their memory is released for the serialisation instead of adding to it."""
    document.pages.clear()


def produire_dossier(projet, progression=None, pages_estimees=None):
    if progression:
        progression(2, "Lecture du projet social")
    contenu = charger(projet)
    html = html_dossier(projet, contenu=contenu)
    if pages_estimees is None:
        pages_estimees = 12 + 3 * len(contenu.fiches)
    # The rows are no longer needed: free them before WeasyPrint reaches its peak.
    del contenu
    version = version_de(html)
    rendu = en_pdf(html, progression, pages_estimees)
    rendu.version = version
    return rendu


def rendre_dossier(projet, progression=None):
    """The complete dossier d'agrément of the projet, as PDF bytes."""
    return produire_dossier(projet, progression).pdf


def rendre_fiche(fiche):
    """One fiche action as a PDF of its own."""
    return en_pdf(html_fiche_seule(fiche)).pdf


def rendre_partie(projet, cle):
    """One chapter of the dossier as a PDF of its own."""
    return en_pdf(html_partie(projet, cle)).pdf


class SuiviWeasyPrint(logging.Handler):
    """Turns WeasyPrint's progress log (« Step 5 - Creating layout - Page 12 ») into a
    percentage, while a render runs."""

    ETAPES = {
        "Step 1": (5, "Préparation du document"),
        "Step 4": (10, "Préparation de la mise en page"),
        "Step 6": (90, "Écriture du PDF"),
        "Step 7": (96, "Finalisation du PDF"),
    }
    PAGE = re.compile(r"Creating layout - Page (\d+)")

    def __init__(self, progression, pages_estimees):
        super().__init__(logging.INFO)
        self.progression = progression
        self.pages_estimees = max(pages_estimees or 1, 1)
        self.logger = logging.getLogger("weasyprint.progress")

    def __enter__(self):
        if self.progression:
            self.niveau = self.logger.level
            self.logger.setLevel(logging.INFO)
            self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        if self.progression:
            self.logger.removeHandler(self)
            self.logger.setLevel(self.niveau)

    def emit(self, record):
        message = record.getMessage()
        if page := self.PAGE.search(message):
            numero = int(page[1])
            part = min(numero / self.pages_estimees, 1)
            self.progression(12 + round(76 * part), f"Mise en page : page {numero}")
        elif etape := self.ETAPES.get(message[:6]):
            self.progression(*etape)
