"""The fields a browser submits from a page's POST form (for the load test; no Locust import,
so tests can use it)."""

from html.parser import HTMLParser


class Formulaire(HTMLParser):
    """The fields a browser would submit from the page's POST form, untouched."""

    def __init__(self):
        super().__init__()
        self.data, self.dans_form = [], False
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.dans_form = True
        if not self.dans_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button", "file"):
                coche = a.get("type") in ("checkbox", "radio")
                self.ajouter(a["name"], a.get("value", "on" if coche else ""))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.ajouter(self._select, a.get("value", ""))

    def handle_data(self, donnee):
        if self._textarea is not None:
            self._textarea[1] += donnee

    def ajouter(self, nom, valeur):
        if "__prefix__" not in nom:  # the template of a new row, not a row
            self.data.append((nom, valeur))

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            nom, texte = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self.ajouter(nom, texte[1:] if texte.startswith("\n") else texte)
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.dans_form = False


def champs_du_formulaire(html):
    lecteur = Formulaire()
    lecteur.feed(html)
    return lecteur.data
