"""Writing a measurement document the way a centre's file looks: Word through python-docx,
LibreOffice through odfpy, PDF through WeasyPrint (from HTML), Markdown."""

import html
import io

from .modele import Para, Table


def en_docx(document):
    import docx
    from docx.enum.text import WD_BREAK

    fichier = docx.Document()
    styles = {s.name for s in fichier.styles}

    def paragraphe(conteneur, para, premier=None):
        if para.puce:
            style = "List Bullet" if para.niveau == 0 else "List Bullet 2"
            style = style if style in styles else "List Bullet"
            cible = premier if premier is not None else conteneur.add_paragraph()
            cible.style = fichier.styles[style]
            cible.add_run(para.texte)
            return cible
        cible = premier if premier is not None else conteneur.add_paragraph()
        for n, ligne in enumerate(para.texte.split("\n")):
            if n:
                cible.add_run().add_break(WD_BREAK.LINE)
            cible.add_run(ligne).bold = para.gras or None
        return cible

    for bloc in document.contenu:
        if isinstance(bloc, Table):
            colonnes = max(sum(c.largeur for c in ligne) for ligne in bloc.lignes)
            table = fichier.add_table(rows=len(bloc.lignes), cols=colonnes)
            table.style = fichier.styles["Table Grid"]
            for r, ligne in enumerate(bloc.lignes):
                k = 0
                for n, case in enumerate(ligne):
                    largeur = case.largeur if n < len(ligne) - 1 else colonnes - k
                    cellule = table.cell(r, k)
                    if largeur > 1:
                        cellule = cellule.merge(table.cell(r, k + largeur - 1))
                    for i, element in enumerate(case.elements):
                        paragraphe(cellule, element, cellule.paragraphs[0] if i == 0 else None)
                    k += largeur
                    if k >= colonnes:
                        break
            fichier.add_paragraph()
        elif bloc.titre:
            fichier.add_heading(bloc.texte, level=min(bloc.titre, 9))
        else:
            if bloc.texte == "\f":
                fichier.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                continue
            paragraphe(fichier, bloc)
    sortie = io.BytesIO()
    fichier.save(sortie)
    return sortie.getvalue()


def en_odt(document):
    from odf import style, table, text
    from odf.opendocument import OpenDocumentText

    fichier = OpenDocumentText()
    gras = style.Style(name="Gras", family="text")
    gras.addElement(style.TextProperties(fontweight="bold"))
    fichier.automaticstyles.addElement(gras)
    for niveau in range(1, 7):
        titre = style.Style(
            name=f"Heading_20_{niveau}", displayname=f"Heading {niveau}", family="paragraph"
        )
        titre.addElement(style.TextProperties(fontsize=f"{20 - 2 * niveau}pt", fontweight="bold"))
        fichier.styles.addElement(titre)
    bordure = style.Style(name="Case", family="table-cell")
    bordure.addElement(style.TableCellProperties(border="0.5pt solid #000000"))
    fichier.automaticstyles.addElement(bordure)

    def paragraphe(para):
        noeud = text.P()
        if para.gras:
            span = text.Span(stylename=gras)
            _texte(span, para.texte)
            noeud.addElement(span)
        else:
            _texte(noeud, para.texte)
        return noeud

    def _texte(noeud, contenu):
        for n, ligne in enumerate(contenu.split("\n")):
            if n:
                noeud.addElement(text.LineBreak())
            noeud.addText(ligne)

    def elements(conteneur, paras):
        liste = None
        niveau_liste = []
        for para in paras:
            if para.puce:
                if liste is None:
                    liste = text.List()
                    conteneur.addElement(liste)
                    niveau_liste = [liste]
                while len(niveau_liste) <= para.niveau:
                    item = text.ListItem()
                    sous = text.List()
                    item.addElement(sous)
                    niveau_liste[-1].addElement(item)
                    niveau_liste.append(sous)
                del niveau_liste[para.niveau + 1 :]
                item = text.ListItem()
                item.addElement(paragraphe(para))
                niveau_liste[para.niveau].addElement(item)
                continue
            liste = None
            if para.titre:
                conteneur.addElement(
                    text.H(
                        outlinelevel=para.titre,
                        stylename=f"Heading_20_{para.titre}",
                        text=para.texte,
                    )
                )
            elif para.texte == "\f":
                conteneur.addElement(text.SoftPageBreak())
            else:
                conteneur.addElement(paragraphe(para))

    tampon = []
    for bloc in document.contenu:
        if isinstance(bloc, Table):
            elements(fichier.text, tampon)
            tampon = []
            colonnes = max(sum(c.largeur for c in ligne) for ligne in bloc.lignes)
            noeud = table.Table()
            noeud.addElement(table.TableColumn(numbercolumnsrepeated=colonnes))
            for ligne in bloc.lignes:
                rangee = table.TableRow()
                k = 0
                for n, case in enumerate(ligne):
                    largeur = case.largeur if n < len(ligne) - 1 else colonnes - k
                    cellule = (
                        table.TableCell(stylename=bordure, numbercolumnsspanned=largeur)
                        if largeur > 1
                        else table.TableCell(stylename=bordure)
                    )
                    elements(cellule, case.elements)
                    rangee.addElement(cellule)
                    for _ in range(largeur - 1):
                        rangee.addElement(table.CoveredTableCell())
                    k += largeur
                    if k >= colonnes:
                        break
                noeud.addElement(rangee)
            fichier.text.addElement(noeud)
        else:
            tampon.append(bloc)
    elements(fichier.text, tampon)
    sortie = io.BytesIO()
    fichier.write(sortie)
    return sortie.getvalue()


def en_html(document):
    morceaux = [
        "<html><head><meta charset='utf-8'><style>table{border-collapse:collapse;width:100%}"
        "td{border:1px solid #000;vertical-align:top;padding:3px}body{font-size:10pt}"
        "h1{font-size:20pt}h2{font-size:16pt}h3{font-size:13pt}</style></head><body>"
    ]

    def elements(paras):
        sortie = []
        ouverte = False
        for para in paras:
            if para.puce:
                if not ouverte:
                    sortie.append("<ul>")
                    ouverte = True
                sortie.append(f"<li>{html.escape(para.texte)}</li>")
                continue
            if ouverte:
                sortie.append("</ul>")
                ouverte = False
            contenu = html.escape(para.texte).replace("\n", "<br>")
            if para.titre:
                sortie.append(f"<h{para.titre}>{contenu}</h{para.titre}>")
            elif para.texte == "\f":
                sortie.append("<div style='break-after:page'></div>")
            elif para.gras:
                sortie.append(f"<p><b>{contenu}</b></p>")
            else:
                sortie.append(f"<p>{contenu}</p>")
        if ouverte:
            sortie.append("</ul>")
        return "".join(sortie)

    tampon = []
    for bloc in document.contenu:
        if isinstance(bloc, Table):
            morceaux.append(elements(tampon))
            tampon = []
            colonnes = max(sum(c.largeur for c in ligne) for ligne in bloc.lignes)
            morceaux.append("<table>")
            for ligne in bloc.lignes:
                morceaux.append("<tr>")
                k = 0
                for n, case in enumerate(ligne):
                    largeur = case.largeur if n < len(ligne) - 1 else colonnes - k
                    morceaux.append(f"<td colspan='{largeur}'>{elements(case.elements)}</td>")
                    k += largeur
                morceaux.append("</tr>")
            morceaux.append("</table>")
        else:
            tampon.append(bloc)
    morceaux.append(elements(tampon))
    morceaux.append("</body></html>")
    return "".join(morceaux)


def en_pdf(document):
    from weasyprint import HTML

    return HTML(string=en_html(document)).write_pdf()


def en_markdown(document):
    lignes = []
    for bloc in document.contenu:
        if lignes and lignes[-1].lstrip().startswith("- ") and not getattr(bloc, "puce", False):
            lignes.append("")
        if isinstance(bloc, Table):
            for n, ligne in enumerate(bloc.lignes):
                cases = [" ".join(e.texte for e in c.elements).replace("|", "/") for c in ligne]
                lignes.append("| " + " | ".join(cases) + " |")
                if n == 0:
                    lignes.append("|" + "---|" * len(cases))
            lignes.append("")
        elif bloc.titre:
            lignes += ["#" * bloc.titre + " " + bloc.texte, ""]
        elif bloc.puce:
            lignes.append("  " * bloc.niveau + "- " + bloc.texte)
        elif bloc.texte != "\f":
            lignes += [f"**{bloc.texte}**" if bloc.gras else bloc.texte, ""]
    return "\n".join(lignes).encode()


FORMATS = {"docx": en_docx, "odt": en_odt, "pdf": en_pdf, "md": en_markdown}


def ecrire(document, format_):
    return FORMATS[format_](document)


__all__ = ["FORMATS", "Para", "Table", "ecrire"]
