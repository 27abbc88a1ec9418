"""A PDF written object by object: the assembled dossier never holds more than one part open.

qpdf (pikepdf) keeps every object of a document in memory until it writes it, about 1.3 KB an
object: a 200-fiche dossier has 70 000 of them, a 1 000-fiche one five times as many. Here each
part is opened alone, its objects written out renumbered (`Source`) and the part closed; what
stays in memory until the end is what the last objects need (the pages' numbers, the structure
tree's top, the parent tree, the named destinations, the bookmarks), a few bytes per page.

The file is what qpdf writes with object streams: the objects other than streams go by
hundreds into compressed object streams, and a cross-reference stream ends the file.
"""

import hashlib
import io
import re
import zlib
from decimal import Decimal

import pikepdf

# In qpdf's syntax (`unparse`): a reference, or a literal string to step over (qpdf escapes
# every parenthesis in one; a hexadecimal string cannot hold an « R »).
REFERENCE = rb"(?<![\w.+/-])(\d+) (\d+) R\b"
JETON = re.compile(rb"\((?:[^\\()]++|\\.)*+\)|" + REFERENCE, re.S)  # possessive: no backtracking
SANS_CHAINE = re.compile(REFERENCE)
OBJETS_PAR_FLUX = 100


class Ecrivain:
    """The PDF being written: objects are numbered when first named (`reserver`), written
    when ready, in any order."""

    def __init__(self, suivant=1, fragment=False):
        """`fragment`: a piece of a file (no header), numbered from `suivant`, that a file's
        `Ecrivain` takes whole (`inserer`)."""
        self.sortie = io.BytesIO()
        if not fragment:
            self.sortie.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.entrees = {}  # number → (1, offset, 0) or (2, object stream, index)
        self.suivant = suivant
        self.lot = []  # objects waiting for their object stream

    def reserver(self):
        numero, self.suivant = self.suivant, self.suivant + 1
        return numero

    def objet(self, numero, donnees):
        """An object other than a stream (its syntax, without `obj … endobj`)."""
        self.lot.append((numero, donnees))
        if len(self.lot) >= OBJETS_PAR_FLUX:
            self.vider_lot()

    def flux(self, numero, dictionnaire, donnees):
        """A stream: its dictionary without /Length, its data as stored (still encoded)."""
        self.entrees[numero] = (1, self.sortie.tell(), 0)
        entete = dictionnaire.strip()
        assert entete.startswith(b"<<")
        self.sortie.write(
            b"%d 0 obj\n<< /Length %d %s\nstream\n" % (numero, len(donnees), entete[2:])
        )
        self.sortie.write(donnees)
        self.sortie.write(b"\nendstream\nendobj\n")

    def vider_lot(self):
        if not self.lot:
            return
        numero = self.reserver()
        table, corps = [], io.BytesIO()
        for rang, (membre, donnees) in enumerate(self.lot):
            table.append(b"%d %d" % (membre, corps.tell()))
            corps.write(donnees + b"\n")
            self.entrees[membre] = (2, numero, rang)
        tete = b" ".join(table) + b"\n"
        dictionnaire = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>" % (
            len(self.lot),
            len(tete),
        )
        self.flux(numero, dictionnaire, zlib.compress(tete + corps.getvalue()))
        self.lot = []

    def inserer(self, octets, entrees):
        """A fragment's bytes and its objects' entries (offsets from the fragment's start)."""
        debut = self.sortie.tell()
        self.sortie.write(octets)
        for numero, (genre, a, b) in entrees.items():
            self.entrees[numero] = (1, debut + a, 0) if genre == 1 else (genre, a, b)

    def finir(self, racine, info):
        """The cross-reference stream and the trailer; the file's bytes."""
        self.vider_lot()
        identifiant = hashlib.md5(self.sortie.getbuffer(), usedforsecurity=False).hexdigest()
        numero = self.reserver()
        self.entrees[numero] = (1, self.sortie.tell(), 0)
        lignes = bytearray()
        for n in range(self.suivant):
            genre, a, b = self.entrees.get(n, (0, 0, 0xFFFF if n == 0 else 0))
            lignes += genre.to_bytes(1, "big") + a.to_bytes(4, "big") + b.to_bytes(2, "big")
        donnees = zlib.compress(bytes(lignes))
        position = self.sortie.tell()
        self.sortie.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R /Info %d 0 R "
            b"/ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\nstream\n"
            % (
                numero,
                self.suivant,
                racine,
                info,
                identifiant.encode(),
                identifiant.encode(),
                len(donnees),
            )
        )
        self.sortie.write(donnees + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % position)
        return self.sortie.getvalue()


class Source:
    """One PDF read (a part, a piece of the page numbers' overlay) whose objects go into the
    `Ecrivain`, renumbered: an object is given its number when something written names it
    (the next free one; with a `base`, its own number plus the base), and written by `vider`
    with those it names. `numeros` may say beforehand what an object becomes (the part's page
    tree: the dossier's)."""

    def __init__(self, ecrivain, pdf, base=None):
        self.ecrivain, self.pdf, self.base = ecrivain, pdf, base
        self.numeros = {}  # objgen → number in the dossier
        self.a_ecrire = []
        self.plus_grand = 0  # the largest number given from `base`
        self.references = {}  # a reference as this PDF writes it → as the dossier does

    def numero(self, objet):
        objgen = objet.objgen if isinstance(objet, pikepdf.Object) else objet
        if objgen not in self.numeros:
            if self.base is None:
                self.numeros[objgen] = self.ecrivain.reserver()
            else:
                self.numeros[objgen] = self.base + objgen[0]
                self.plus_grand = max(self.plus_grand, self.base + objgen[0])
            self.a_ecrire.append(objgen)
        return self.numeros[objgen]

    def placer(self, objet, numero):
        """Write this object under this number (with those it names)."""
        self.numeros[objet.objgen] = numero
        self.a_ecrire.append(objet.objgen)

    def renumeroter(self, donnees):
        references = self.references

        def jeton(m):
            if (nouvelle := references.get(m[0])) is None:
                if m[1] is None:
                    return m[0]  # a string
                nouvelle = references[m[0]] = b"%d 0 R" % self.numero((int(m[1]), int(m[2])))
            return nouvelle

        if b" R" not in donnees:
            return donnees
        return (JETON if b"(" in donnees else SANS_CHAINE).sub(jeton, donnees)

    def valeur(self, objet):
        """A value of this PDF as the dossier writes it (an indirect object by its number)."""
        if isinstance(objet, pikepdf.Object) and objet.is_indirect:
            return b"%d 0 R" % self.numero(objet)
        return self.renumeroter(syntaxe(objet))

    def vider(self):
        """Write every object named so far, and the objects they name."""
        while self.a_ecrire:
            objgen = self.a_ecrire.pop()
            objet = self.pdf.get_object(objgen)
            numero = self.numeros[objgen]
            if isinstance(objet, pikepdf.Stream):
                donnees = objet.read_raw_bytes()
                dictionnaire = objet.stream_dict
                if "/Length" in dictionnaire:
                    del dictionnaire["/Length"]
                self.ecrivain.flux(
                    numero, self.renumeroter(dictionnaire.unparse(resolved=True)), donnees
                )
            else:
                self.ecrivain.objet(numero, self.renumeroter(objet.unparse(resolved=True)))


def syntaxe(valeur):
    """A direct value in PDF syntax (pikepdf gives numbers, booleans and null as Python's)."""
    if isinstance(valeur, pikepdf.Object):
        return valeur.unparse(resolved=True)
    if valeur is None:
        return b"null"
    if isinstance(valeur, bool):
        return b"true" if valeur else b"false"
    if isinstance(valeur, int):
        return b"%d" % valeur
    if isinstance(valeur, float | Decimal):
        return nombre(valeur)
    if isinstance(valeur, str):
        return pikepdf.String(valeur).unparse()
    raise TypeError(f"Valeur PDF inattendue : {valeur!r}")


def nombre(valeur):
    """A real number as PDF writes it (never in exponent notation)."""
    texte = f"{float(valeur):.4f}".rstrip("0").rstrip(".")
    return (texte if texte not in ("", "-0") else "0").encode()


def dictionnaire(**entrees):
    """A dictionary from entries already in PDF syntax (bytes), the None ones left out."""
    corps = b" ".join(b"/%s %s" % (cle.encode(), v) for cle, v in entrees.items() if v is not None)
    return b"<< " + corps + b" >>"


def reference(numero):
    return b"%d 0 R" % numero


def tableau(elements):
    return b"[ " + b" ".join(elements) + b" ]"
