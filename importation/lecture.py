"""Readers: a `.docx`, `.odt`, `.pdf` (with a text layer), `.md` or `.txt` file → blocks.

`lire_document(contenu, nom)` picks the reader from the file's first bytes (and its name for the
text formats), and turns what no reader can read into an `ImportImpossible` with a French
message: too big, damaged, protected by a password, a scanned PDF, an empty document.

Each format is read by its library (python-docx, odfpy, pdfplumber with pypdf for the password,
Markdown); the only thing this module adds is the common shape (`blocs.Bloc`). Typed bullets
(« - », « • », « – », « o » for a second level) at the start of a paragraph make it a list item,
the way a text pasted from Word keeps its lists.
"""

import io
import re
import zipfile
from collections import Counter

from .blocs import LISTE, PARAGRAPHE, TABLEAU, TITRE, Bloc, Cellule, Element, nettoyer, numeroter
from .erreurs import TAILLE_MAX as TAILLE_MAX
from .erreurs import (
    DocumentVide,
    FichierIllisible,
    FichierProtege,
    FichierTropGros,
    FormatNonPris,
    ImportImpossible,
    PdfSansTexte,
)

EXTENSIONS = (".docx", ".odt", ".pdf", ".md", ".txt")
# What Word, LibreOffice and a typist put before a list item; the second group is a second level.
PUCE = re.compile(
    r"^(?P<puces>(?:(?:[-–—•▪■◦●○·>\u2022\u2023\u25aa\u25cf\uf0b7\uf0a7](?:\s+|(?=[^\s\d\-–—]))|\*\s+))+|o\s+)(?=\S)"
)


def lire_document(contenu, nom=""):
    """The blocks of the document `contenu` (bytes) named `nom`. Raises ImportImpossible."""
    if len(contenu) > TAILLE_MAX:
        raise FichierTropGros()
    if not contenu.strip():
        raise DocumentVide()
    nom = (nom or "").lower()
    if contenu.startswith(b"%PDF"):
        blocs = lire_pdf(contenu)
    elif contenu.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE file: an encrypted Word (or LibreOffice-encrypted OOXML) file, or an old .doc.
        blocs = lire_ole(contenu)
    elif contenu.startswith(b"PK"):
        blocs = lire_zip(contenu, nom)
    elif nom.endswith((".docx", ".odt", ".pdf")):
        raise FichierIllisible()
    elif nom.endswith(".md"):
        blocs = lire_markdown(decoder(contenu))
    elif nom.endswith(".txt") or not nom or "." not in nom:
        blocs = lire_texte(decoder(contenu))
    else:
        raise FormatNonPris()
    blocs = [b for b in blocs if b.contenu.strip()]
    if not blocs:
        raise DocumentVide()
    return numeroter(blocs)


def decoder(contenu):
    """Text files: UTF-8 (with or without its mark), else Windows' Western encoding."""
    if b"\x00" in contenu[:4096]:
        raise FichierIllisible()
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252", errors="replace")


def lire_zip(contenu, nom):
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
        noms = set(archive.namelist())
    except zipfile.BadZipFile as erreur:
        raise FichierIllisible() from erreur
    if "word/document.xml" in noms:
        return lire_docx(contenu)
    if "content.xml" in noms or "META-INF/manifest.xml" in noms:
        try:
            manifeste = archive.read("META-INF/manifest.xml")
        except (KeyError, zipfile.BadZipFile, OSError):
            manifeste = b""
        if b"encryption-data" in manifeste:
            raise FichierProtege()
        return lire_odt(contenu)
    if nom.endswith((".xlsx", ".pptx", ".ods", ".odp")):
        raise FormatNonPris()
    raise FichierIllisible()


def lire_ole(contenu):
    import msoffcrypto
    from msoffcrypto.exceptions import FileFormatError

    try:
        fichier = msoffcrypto.OfficeFile(io.BytesIO(contenu))
        chiffre = fichier.is_encrypted()
    except (FileFormatError, OSError, ValueError) as erreur:
        raise FichierIllisible() from erreur
    except Exception as erreur:  # olefile raises bare exceptions on a damaged container
        raise FichierIllisible() from erreur
    if chiffre:
        raise FichierProtege()
    raise FormatNonPris(
        "Ce fichier est un ancien document Word (.doc) : ouvrez-le dans Word ou LibreOffice et "
        "enregistrez-le au format .docx ou .odt, puis importez-le."
    )


# --- Building blocks ---------------------------------------------------------------------


def element_de(texte, gras=False, niveau=0, puce=False):
    """A paragraph's text as an Element; a typed bullet makes it a list item."""
    texte = nettoyer(texte)
    trouve = PUCE.match(texte)
    if trouve and not puce:
        puces = trouve["puces"]
        niveau = max(0, len(re.findall(r"[^\s]", puces)) - 1) if puces.strip() != "o" else 1
        return Element(texte=texte[trouve.end() :].strip(), puce=True, niveau=niveau, gras=gras)
    return Element(texte=texte, puce=puce, niveau=niveau, gras=gras)


class Collecte:
    """Blocks as a reader finds them: consecutive list items make one list block."""

    def __init__(self):
        self.blocs = []
        self.page = None

    def titre(self, texte, niveau):
        texte = nettoyer(texte)
        if texte:
            self.blocs.append(
                Bloc(0, TITRE, texte=texte, niveau=max(1, min(niveau, 6)), page=self.page)
            )

    def paragraphe(self, texte, gras=False, niveau_liste=None):
        element = element_de(
            texte, gras=gras, niveau=niveau_liste or 0, puce=niveau_liste is not None
        )
        if not element.texte:
            return
        if element.puce:
            dernier = self.blocs[-1] if self.blocs else None
            if dernier is not None and dernier.sorte == LISTE and dernier.page == self.page:
                dernier.items.append(element)
            else:
                self.blocs.append(Bloc(0, LISTE, items=[element], page=self.page))
            return
        self.blocs.append(
            Bloc(0, PARAGRAPHE, texte=element.texte, gras=element.gras, page=self.page)
        )

    def tableau(self, lignes):
        lignes = [ligne for ligne in lignes if any(c.elements for c in ligne)]
        if lignes:
            self.blocs.append(Bloc(0, TABLEAU, lignes=lignes, page=self.page))


# --- Word ----------------------------------------------------------------------------------

STYLE_TITRE = re.compile(r"^(?:heading|titre|berschrift|t[ií]tulo|kop)\s*(\d)", re.IGNORECASE)


def lire_docx(contenu):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(contenu))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as erreur:
        raise FichierIllisible() from erreur
    except Exception as erreur:  # lxml's XMLSyntaxError on a damaged part
        raise FichierIllisible() from erreur
    _STYLES.clear()
    collecte = Collecte()
    corps = list(document.iter_inner_content())
    avec_pages = bool(document.element.body.xpath(".//w:lastRenderedPageBreak | .//w:br"))
    collecte.page = 1 if avec_pages else None
    for contenu_ in corps:
        if contenu_.__class__.__name__ == "Table":
            collecte.tableau(lignes_docx(contenu_))
            continue
        paragraphe = contenu_
        if avec_pages:
            collecte.page += sauts_de_page(paragraphe)
        texte = texte_docx(paragraphe)
        niveau = niveau_titre_docx(paragraphe)
        if niveau:
            collecte.titre(texte, niveau)
        else:
            collecte.paragraphe(
                texte, gras=gras_docx(paragraphe), niveau_liste=niveau_liste_docx(paragraphe)
            )
    return collecte.blocs


def sauts_de_page(paragraphe):
    rendus = len(paragraphe.rendered_page_breaks)
    forces = len(paragraphe._p.xpath(".//w:br[@w:type='page']"))
    return rendus + forces


def texte_docx(paragraphe):
    """The paragraph's text, with the runs of its content controls (the checkboxes « ☒ »)."""
    if not paragraphe._p.xpath("./w:sdt"):
        return paragraphe.text
    from docx.text.run import Run

    return "".join(Run(r, paragraphe).text for r in paragraphe._p.xpath(".//w:r"))


_STYLES = {}  # (document, style id) → (heading level, list, bold), filled as paragraphs come


def style_docx(paragraphe):
    """What the paragraph's style says (heading level, list, bold), looked up once per style:
    python-docx resolves a style by scanning the styles part each time."""
    cle = (id(paragraphe.part), paragraphe._p.style)
    if cle not in _STYLES:
        niveau, liste, gras = 0, None, False
        style = paragraphe.style
        gras = bool(style is not None and style.font.bold)
        while style is not None:
            nom = style.name or ""
            trouve = STYLE_TITRE.match(nom)
            if trouve and not niveau:
                niveau = int(trouve.group(1)) or 1
            elif nom.lower() in ("title", "titre") and not niveau:
                niveau = 1
            elif (
                not niveau
                and (contour := style.element.xpath("./w:pPr/w:outlineLvl/@w:val"))
                and contour[0].isdigit()
                and int(contour[0]) < 9
            ):
                niveau = int(contour[0]) + 1
            if liste is None and (style.element.xpath("./w:pPr/w:numPr") or "list" in nom.lower()):
                niveaux = style.element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
                chiffre = re.search(r"(\d)$", nom)
                liste = (
                    int(niveaux[0]) if niveaux else (int(chiffre.group(1)) - 1 if chiffre else 0)
                )
            style = style.base_style
        _STYLES[cle] = (niveau, liste, gras)
    return _STYLES[cle]


def niveau_titre_docx(paragraphe):
    niveau = paragraphe._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    if niveau and niveau[0].isdigit() and int(niveau[0]) < 9:
        return int(niveau[0]) + 1
    return style_docx(paragraphe)[0]


def niveau_liste_docx(paragraphe):
    """The list level (0, 1…) of a numbered or bulleted paragraph, None for a plain one."""
    if paragraphe._p.xpath("./w:pPr/w:numPr/w:numId"):
        niveaux = paragraphe._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
        return int(niveaux[0]) if niveaux else 0
    return style_docx(paragraphe)[1]


def gras_docx(paragraphe):
    runs = [r for r in paragraphe.runs if r.text.strip()]
    if not runs:
        return False
    style_gras = style_docx(paragraphe)[2]
    return all(r.bold or (r.bold is None and style_gras) for r in runs)


def elements_docx(conteneur):
    """A cell's paragraphs and list items (the paragraphs of a nested table too)."""
    elements = []
    for contenu in conteneur.iter_inner_content():
        if contenu.__class__.__name__ == "Table":
            for ligne in lignes_docx(contenu):
                for cellule in ligne:
                    elements.extend(cellule.elements)
            continue
        texte = nettoyer(texte_docx(contenu))
        if not texte:
            continue
        niveau = niveau_liste_docx(contenu)
        for morceau in texte.split("\n"):
            element = element_de(
                morceau, gras=gras_docx(contenu), niveau=niveau or 0, puce=niveau is not None
            )
            if element.texte:
                elements.append(element)
    return elements


def lignes_docx(tableau):
    """Rows of cells; a cell merged across columns is one cell with its width, a cell merged
    down the rows is read once, in its first row."""
    lignes = []
    au_dessus = []
    for rangee in tableau.rows:
        cellules = []
        vus = []
        try:
            cases = rangee.cells
        except (ValueError, IndexError):  # a malformed grid
            cases = []
        for colonne, case in enumerate(cases):
            tc = case._tc
            if vus and vus[-1] is tc:
                cellules[-1].largeur += 1
                vus.append(tc)
                continue
            vus.append(tc)
            if colonne < len(au_dessus) and au_dessus[colonne] is tc:
                cellules.append(Cellule(colonne=colonne, elements=[]))
                continue
            cellules.append(Cellule(colonne=colonne, elements=elements_docx(case)))
        au_dessus = vus
        lignes.append(cellules)
    return lignes


# --- OpenDocument ---------------------------------------------------------------------------


def lire_odt(contenu):
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(contenu))
    except Exception as erreur:  # odfpy lets zipfile's, xml.sax's and KeyError through
        raise FichierIllisible() from erreur
    collecte = Collecte()
    corps = document.text
    if corps.getElementsByType is not None and _odt_a_des_pages(corps):
        collecte.page = 1
    _odt_parcourir(corps.childNodes, collecte)
    return collecte.blocs


def _odt_a_des_pages(corps):
    from odf import text

    return bool(corps.getElementsByType(text.SoftPageBreak))


def _qname(noeud):
    return getattr(noeud, "qname", (None, None))[1]


def _odt_texte(noeud):
    from odf import teletype

    return teletype.extractText(noeud)


def _odt_sauts(noeud, collecte):
    from odf import text

    if collecte.page is not None:
        collecte.page += len(noeud.getElementsByType(text.SoftPageBreak))


def _odt_parcourir(noeuds, collecte, niveau_liste=None):
    for noeud in noeuds:
        nom = _qname(noeud)
        if nom == "h":
            _odt_sauts(noeud, collecte)
            niveau = noeud.getAttribute("outlinelevel")
            collecte.titre(_odt_texte(noeud), int(niveau) if niveau else 1)
        elif nom == "p":
            _odt_sauts(noeud, collecte)
            collecte.paragraphe(_odt_texte(noeud), niveau_liste=niveau_liste)
        elif nom == "list":
            niveau = 0 if niveau_liste is None else niveau_liste + 1
            for item in noeud.childNodes:
                if _qname(item) in ("list-item", "list-header"):
                    _odt_parcourir(item.childNodes, collecte, niveau_liste=niveau)
        elif nom == "table":
            collecte.tableau(_odt_lignes(noeud))
        elif nom == "soft-page-break":
            if collecte.page is not None:
                collecte.page += 1
        elif nom in ("section", "index-body", "deletion"):
            _odt_parcourir(noeud.childNodes, collecte, niveau_liste)
        # the tables of contents (« table-of-content ») and the sequence declarations are skipped


def _odt_rangees(tableau):
    for noeud in tableau.childNodes:
        nom = _qname(noeud)
        if nom == "table-row":
            yield noeud
        elif nom in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _odt_rangees(noeud)


def _odt_elements(cellule):
    collecte = Collecte()
    _odt_parcourir(cellule.childNodes, collecte)
    elements = []
    for bloc in collecte.blocs:
        if bloc.sorte == LISTE:
            elements.extend(bloc.items)
        elif bloc.sorte == TABLEAU:
            for ligne in bloc.lignes:
                for c in ligne:
                    elements.extend(c.elements)
        else:
            for morceau in bloc.texte.split("\n"):
                element = element_de(morceau, gras=bloc.sorte == TITRE)
                if element.texte:
                    elements.append(element)
    return elements


def _odt_lignes(tableau):
    lignes = []
    for rangee in _odt_rangees(tableau):
        cellules = []
        colonne = 0
        couvertes = 0  # the covered cells a cell spanning several columns is followed by
        for case in rangee.childNodes:
            nom = _qname(case)
            if nom not in ("table-cell", "covered-table-cell"):
                continue
            repete = int(case.getAttribute("numbercolumnsrepeated") or 1)
            if nom == "covered-table-cell":
                deja = min(couvertes, repete)
                couvertes -= deja
                colonne += repete - deja
                continue
            largeur = int(case.getAttribute("numbercolumnsspanned") or 1)
            couvertes = largeur - 1
            elements = _odt_elements(case)
            if repete > 1 and not elements:
                colonne += repete
                continue
            cellules.append(Cellule(colonne=colonne, largeur=largeur, elements=elements))
            colonne += largeur
        repetitions = min(int(rangee.getAttribute("numberrowsrepeated") or 1), 1000)
        if any(c.elements for c in cellules):
            lignes.extend([cellules] * repetitions if repetitions > 1 else [cellules])
    return lignes


# --- PDF ------------------------------------------------------------------------------------


def verifier_pdf(contenu):
    """A PDF that needs a password to open is refused (one with an owner password only opens)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        lecteur = PdfReader(io.BytesIO(contenu))
        if lecteur.is_encrypted and not lecteur.decrypt(""):
            raise FichierProtege()
    except ImportImpossible:
        raise
    except (PdfReadError, ValueError, OSError) as erreur:
        raise FichierIllisible() from erreur
    except Exception as erreur:  # a damaged file raises many kinds of errors in pypdf
        raise FichierIllisible() from erreur


def lire_pdf(contenu):
    import pdfplumber

    verifier_pdf(contenu)
    pages = []
    images = 0
    try:
        with pdfplumber.open(io.BytesIO(contenu)) as pdf:
            for numero, page in enumerate(pdf.pages, start=1):
                images += len(page.images)
                pages.append((numero, *_pdf_page(page)))
    except ImportImpossible:
        raise
    except Exception as erreur:  # pdfminer's syntax errors on a damaged file
        raise FichierIllisible() from erreur
    if not any(lignes or tableaux for _, lignes, tableaux in pages):
        if images:
            raise PdfSansTexte()
        raise DocumentVide()
    tailles = Counter(
        round(ligne["taille"]) for _, lignes, _ in pages for ligne in lignes if ligne["taille"]
    )
    courante = tailles.most_common(1)[0][0] if tailles else 10
    grandes = sorted({t for t in tailles if t >= courante * 1.15}, reverse=True)
    collecte = Collecte()
    for numero, lignes, tableaux in pages:
        collecte.page = numero
        morceaux = [(ligne["haut"], "ligne", ligne) for ligne in lignes]
        morceaux += [(haut, "tableau", rangees) for haut, rangees in tableaux]
        morceaux.sort(key=lambda m: m[0])
        _pdf_assembler(morceaux, collecte, courante, grandes)
    return collecte.blocs


def _pdf_page(page):
    tableaux = []
    boites = []
    # A row that goes on to the next page has no border at the page's end (nor at the top of
    # the next one): the text's first and last lines close it.
    reglages = {}
    if page.chars and (page.rects or page.lines):
        haut = min(c["top"] for c in page.chars) - 2
        bas = max(c["bottom"] for c in page.chars) + 2
        reglages = {"explicit_horizontal_lines": [haut, bas]}
    for tableau in page.find_tables(reglages):
        rangees = tableau.extract()
        if len(rangees) >= 1 and max(len(r) for r in rangees) >= 2:
            tableaux.append((tableau.bbox[1], rangees))
            boites.append(tableau.bbox)

    def hors_tableaux(objet):
        x = (objet.get("x0", 0) + objet.get("x1", 0)) / 2
        y = (objet.get("top", 0) + objet.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boites)

    texte = page.filter(hors_tableaux) if boites else page
    lignes = []
    for ligne in texte.extract_text_lines(return_chars=True, keep_blank_chars=False):
        caracteres = [c for c in ligne["chars"] if c["text"].strip()]
        if not caracteres:
            continue
        tailles = Counter(round(c["size"], 1) for c in caracteres)
        polices = Counter("bold" in c.get("fontname", "").lower() for c in caracteres)
        lignes.append(
            {
                "texte": ligne["text"],
                "haut": ligne["top"],
                "bas": ligne["bottom"],
                "gauche": ligne["x0"],
                "taille": tailles.most_common(1)[0][0],
                "gras": polices.most_common(1)[0][0],
            }
        )
    return lignes, tableaux


def _pdf_assembler(morceaux, collecte, courante, grandes):
    """Lines → paragraphs (a line wrap is a space), headings by their size, list items by their
    bullet; tables as they are."""
    paragraphe = None

    def finir():
        nonlocal paragraphe
        if paragraphe is None:
            return
        taille = paragraphe["taille"]
        texte = paragraphe["texte"]
        if taille in grandes and len(texte) < 300:
            collecte.titre(texte, grandes.index(taille) + 1)
        else:
            collecte.paragraphe(texte, gras=paragraphe["gras"] and len(texte) < 200)
        paragraphe = None

    for _, sorte, morceau in morceaux:
        if sorte == "tableau":
            finir()
            collecte.tableau(_pdf_lignes(morceau))
            continue
        ligne = morceau
        texte = ligne["texte"].strip()
        hauteur = max(ligne["bas"] - ligne["haut"], 1)
        nouveau = (
            paragraphe is None
            or PUCE.match(texte)
            or round(ligne["taille"]) != round(paragraphe["taille"])
            or ligne["gras"] != paragraphe["gras"]
            or ligne["haut"] - paragraphe["bas"] > hauteur * 0.6
        )
        if nouveau:
            finir()
            paragraphe = {
                "texte": texte,
                "taille": round(ligne["taille"]),
                "gras": ligne["gras"],
                "bas": ligne["bas"],
            }
        else:
            paragraphe["texte"] += " " + texte
            paragraphe["bas"] = ligne["bas"]
    finir()


def _pdf_lignes(rangees):
    lignes = []
    for rangee in rangees:
        cellules = []
        for colonne, texte in enumerate(rangee):
            if texte is None:  # covered by the cell on its left (or above)
                if cellules:
                    cellules[-1].largeur += 1
                continue
            cellules.append(Cellule(colonne=colonne, elements=_pdf_elements(texte)))
        lignes.append(cellules)
    return lignes


def est_rubrique(texte):
    """A line that names a rubric (« Exemple », « Moyens humains »): it stays on its own."""
    from .synonymes import reconnaitre

    return len(texte) < 60 and bool(
        reconnaitre(texte, "fiche")
        or reconnaitre(texte, "colonne")
        or reconnaitre(texte, "objectif")
    )


def _pdf_elements(texte):
    """A cell's lines: a bulleted line starts an item, a line after a full stop or a colon
    starts a paragraph, other lines continue the one before (a wrap)."""
    elements = []
    for ligne in nettoyer(texte).split("\n"):
        if not ligne:
            continue
        element = element_de(ligne)
        precedent = elements[-1] if elements else None
        continue_ = (
            precedent is not None
            and not element.puce
            and not est_rubrique(precedent.texte)
            and not re.search(r"[.:;!?»]$", precedent.texte)
            and not (ligne[:1].isupper() and precedent.texte[-1:] in ".:")
        )
        if continue_:
            precedent.texte += " " + element.texte
        else:
            elements.append(element)
    return elements


# --- Markdown and plain text ------------------------------------------------------------------


def lire_markdown(texte):
    import markdown
    from lxml import html

    rendu = markdown.markdown(texte, extensions=["tables", "sane_lists"])
    collecte = Collecte()
    if not rendu.strip():
        return []
    racine = html.fragment_fromstring(rendu, create_parent="div")
    _html_parcourir(racine, collecte)
    return collecte.blocs


def _html_texte(noeud, sans=("ul", "ol", "table")):
    morceaux = [noeud.text or ""]
    for enfant in noeud:
        if enfant.tag == "br":
            morceaux.append("\n")
        elif enfant.tag not in sans:
            morceaux.append(_html_texte(enfant, sans))
        morceaux.append(enfant.tail or "")
    return "".join(morceaux)


def _html_parcourir(racine, collecte, niveau_liste=None):
    for noeud in racine:
        tag = noeud.tag if isinstance(noeud.tag, str) else ""
        if re.fullmatch(r"h[1-6]", tag):
            collecte.titre(_html_texte(noeud), int(tag[1]))
        elif tag in ("p", "pre", "blockquote"):
            gras = (
                len(noeud) == 1
                and noeud[0].tag in ("strong", "b")
                and not (noeud.text or "").strip()
            )
            collecte.paragraphe(_html_texte(noeud), gras=gras, niveau_liste=niveau_liste)
        elif tag in ("ul", "ol"):
            niveau = 0 if niveau_liste is None else niveau_liste + 1
            for item in noeud:
                if item.tag == "li":
                    collecte.paragraphe(_html_texte(item), niveau_liste=niveau)
                    for sous in item:
                        if sous.tag in ("ul", "ol"):
                            _html_parcourir([sous], collecte, niveau)
        elif tag == "table":
            lignes = []
            for rangee in noeud.iter("tr"):
                cellules = []
                colonne = 0
                for case in rangee:
                    if case.tag not in ("td", "th"):
                        continue
                    largeur = int(case.get("colspan", "1") or 1)
                    elements = [
                        element_de(t) for t in nettoyer(_html_texte(case, ())).split("\n") if t
                    ]
                    cellules.append(Cellule(colonne=colonne, largeur=largeur, elements=elements))
                    colonne += largeur
                lignes.append(cellules)
            collecte.tableau(lignes)
        elif tag in ("div", "section"):
            _html_parcourir(noeud, collecte, niveau_liste)


def lire_texte(texte):
    """Plain text: a line is a paragraph (or a list item after its bullet); lines holding tabs
    are the rows of a table, the way a table copied from Word pastes."""
    collecte = Collecte()
    rangees = []

    def finir_tableau():
        if rangees:
            lignes = []
            for rangee in rangees:
                cellules = []
                for colonne, case in enumerate(rangee.split("\t")):
                    elements = [element_de(case)] if case.strip() else []
                    cellules.append(Cellule(colonne=colonne, elements=elements))
                lignes.append(cellules)
            collecte.tableau(lignes)
            rangees.clear()

    for ligne in texte.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" in ligne.strip("\t ") or (rangees and "\t" in ligne):
            rangees.append(ligne)
            continue
        finir_tableau()
        titre = re.match(r"^(#{1,6})\s+(.+)$", ligne)
        if titre:
            collecte.titre(titre.group(2), len(titre.group(1)))
        elif ligne.strip():
            collecte.paragraphe(ligne)
    finir_tableau()
    return collecte.blocs


__all__ = ["EXTENSIONS", "TAILLE_MAX", "lire_document"]
