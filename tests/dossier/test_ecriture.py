"""The PDF written object by object (dossier/ecriture.py): objects of several PDFs renumbered
into one file that qpdf reads back whole, the text of their strings untouched."""

import io

import pikepdf

from dossier.ecriture import Ecrivain, Source, dictionnaire, nombre, reference, tableau


def un_pdf(texte):
    """A PDF of one page whose catalog holds a dictionary naming the page, a string that looks
    like references and parentheses, and a stream."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    donnees = pdf.make_indirect(
        pikepdf.Dictionary(
            Texte=pikepdf.String(texte),
            Page=page,
            Flux=pdf.make_stream(b"contenu du flux " + texte.encode()),
            Liste=pikepdf.Array([1, 2.5, True, None, pikepdf.Name("/Un#Nom")]),
        )
    )
    pdf.Root.Donnees = donnees
    return pdf


def relire(pdfs):
    """Each PDF's data dictionary and page written into one file (as the assembly does)."""
    ecrivain = Ecrivain()
    pages_arbre = ecrivain.reserver()
    pages, donnees = [], []
    for pdf in pdfs:
        source = Source(ecrivain, pdf)
        source.numeros[pdf.Root.Pages.objgen] = pages_arbre
        pages.append(source.numero(pdf.pages[0].obj))
        donnees.append(source.valeur(pdf.Root.Donnees))
        source.vider()
    ecrivain.objet(
        pages_arbre,
        dictionnaire(Type=b"/Pages", Count=b"%d" % len(pages), Kids=tableau(map(reference, pages))),
    )
    racine = ecrivain.reserver()
    ecrivain.objet(
        racine,
        dictionnaire(Type=b"/Catalog", Pages=reference(pages_arbre), Donnees=tableau(donnees)),
    )
    info = ecrivain.reserver()
    ecrivain.objet(info, dictionnaire(Title=pikepdf.String("Essai").unparse()))
    return pikepdf.open(io.BytesIO(ecrivain.finir(racine, info)))


def test_les_objets_de_plusieurs_pdf_se_retrouvent_avec_leurs_references():
    textes = ["Réunion (bilan) le 12 0 R à 18 h \\ « fin »", "Deuxième 3 0 R (et) ( "]
    sortie = relire([un_pdf(t) for t in textes])

    assert len(sortie.pages) == 2
    for rang, texte in enumerate(textes):
        donnees = sortie.Root.Donnees[rang]
        assert str(donnees.Texte) == texte
        assert donnees.Page.objgen == sortie.pages[rang].obj.objgen
        assert donnees.Flux.read_bytes() == b"contenu du flux " + texte.encode()
        assert list(donnees.Liste)[:4] == [1, 2.5, True, None]
        assert str(donnees.Liste[4]) == "/Un#Nom"
    assert sortie.pages[0].obj.Parent.objgen == sortie.Root.Pages.objgen
    assert str(sortie.docinfo.Title) == "Essai"


def test_une_partie_ecrite_garde_ses_objets_en_flux_compresses():
    sortie = relire([un_pdf(f"Fiche {n}") for n in range(150)])

    assert len(sortie.pages) == 150
    assert [str(d.Texte) for d in sortie.Root.Donnees] == [f"Fiche {n}" for n in range(150)]
    assert any(o.get("/Type") == "/ObjStm" for o in sortie.objects if isinstance(o, pikepdf.Stream))


def test_les_nombres_reels_s_ecrivent_sans_exposant():
    assert [nombre(v) for v in (841.889764, 0.00001, -0.0, 12.0, 1e20)] == [
        b"841.8898",
        b"0",
        b"0",
        b"12",
        b"100000000000000000000",
    ]
