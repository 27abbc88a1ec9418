"""Why a document cannot be imported, in words a director understands.

Every reader and the detector raise one of these; nothing is written when they do. The message
(`str(erreur)`) is meant to be shown as it is, next to the upload field."""

TAILLE_MAX = 30 * 1024 * 1024  # octets


class ImportImpossible(Exception):
    """The document cannot be imported; `message` says why and what to do."""

    message = "Ce document ne peut pas être importé."

    def __init__(self, message=None):
        super().__init__(message or self.message)
        if message:
            self.message = message


class FichierTropGros(ImportImpossible):
    message = (
        f"Ce fichier dépasse {TAILLE_MAX // (1024 * 1024)} Mo. Enregistrez-le sans les images "
        "(ou en PDF de taille réduite), puis importez-le à nouveau."
    )


class FormatNonPris(ImportImpossible):
    message = (
        "Ce format n'est pas pris en charge : importez un fichier Word (.docx), "
        "LibreOffice (.odt), PDF avec du texte (.pdf), Markdown (.md) ou texte (.txt)."
    )


class FichierIllisible(ImportImpossible):
    message = (
        "Ce fichier est endommagé ou n'est pas du format que son nom annonce : ouvrez-le dans "
        "Word ou LibreOffice, enregistrez-le à nouveau, puis importez-le."
    )


class FichierProtege(ImportImpossible):
    message = (
        "Ce fichier est protégé par un mot de passe : ouvrez-le, retirez la protection "
        "(ou enregistrez une copie sans mot de passe), puis importez-le."
    )


class PdfSansTexte(ImportImpossible):
    message = (
        "Ce PDF ne contient que des images (un document scanné) : aucun texte n'a pu être lu. "
        "Importez plutôt le fichier Word ou LibreOffice d'origine, ou un PDF exporté depuis "
        "votre traitement de texte."
    )


class DocumentVide(ImportImpossible):
    message = "Ce document ne contient aucun texte."


class DocumentSansProjet(ImportImpossible):
    message = (
        "Aucune fiche action ni aucun axe n'a été trouvé dans ce document : est-ce bien un "
        "projet social ? Les fiches sont reconnues à leurs rubriques (« Contexte », "
        "« Objectifs », « Public visé », « Partenaires »…) et les axes à leur titre (« Axe 1 : … »)."
    )
