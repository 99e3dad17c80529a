"""Comments about a subject the taxonomy has no tag for (a rumour that the band splits up), written
in listener voice, and unrelated comments to surround them."""

from __future__ import annotations

import itertools

_OPENINGS = (
    "esse boato de que a banda vai se separar",
    "o boato da separação da banda",
    "boato de separação da banda",
    "essa história de que a banda vai se separar",
    "o rumor de que a banda vai se separar",
    "Boato de que a BANDA vai SE SEPARAR",
    "esse boooato da separação da banda",
    "a fofoca da separação da banda",
    "boato da banda se separando",
    "o boato de que a banda acabou",
)
_ENDINGS = (
    "é verdade?",
    "alguém confirma?",
    "me deixou preocupada",
    "tomara que seja mentira",
    "já tá em todo lugar",
    "precisa de uma resposta oficial",
    "não pode ser verdade 😭",
    "que tristeza se for real",
    "alguém sabe de onde saiu isso?",
    "tá todo mundo falando disso",
    "parem de espalhar isso",
    "quero uma nota oficial",
    "isso é verdade mesmo?",
    "me tirou o sono",
    "estragou meu dia",
)

# Other subjects, each its own small cluster or lone noise; none about the rumour.
OTHER = (
    "a mixagem do refrão ficou abafada",
    "que tal uma versão acústica dessa?",
    "o app trava quando abro a letra",
    "quando sai o clipe novo?",
    "essa batida lembra muito outra música",
    "a capa do single é estranha",
    "podiam chamar a orquestra de novo",
    "o solo de guitarra é curto demais",
)


def rumour_comments(count: int = 150) -> list[str]:
    """`count` comments about the rumour, no two alike."""
    pairs = itertools.product(_OPENINGS, _ENDINGS)
    return [f"{opening} {ending}" for opening, ending in itertools.islice(pairs, count)]
