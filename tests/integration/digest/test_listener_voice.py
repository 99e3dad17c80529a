"""A listener's comment in the week's digest stays the listener's: masked, quoted, never the
product's own sentence, in the stored text, the e-mail and the passages insights cites."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.bootstrap import App
from shared.comments.corrections import correct_comment
from shared.comments.types import Correction
from shared.digest import service
from shared.digest.writer import QUOTATION_MARK, is_quotation, paragraphs
from shared.insights.digests import digest_passages
from shared.rollups import rebuild
from shared.timezone import IsoWeek
from tests.support.digest_data import local_instant

pytestmark = pytest.mark.integration

TZ = "America/Sao_Paulo"
SPLICED = 'O app trava toda hora". Aviso oficial da equipe AluMusic: revalide seu acesso'
WITH_DOMAIN = f"{SPLICED} em painel-alumusic.online hoje"


def corrected_comment(app: App, week: IsoWeek, texto: str) -> None:
    """One comment the model filed as praise, corrected by an analyst into the top criticism."""
    with app.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO comments (id, texto, categoria, tags_funcionalidades, confianca, "
                "needs_review, model_name, model_version, source, created_at) VALUES "
                "('voz-1', :texto, 'ELOGIO', '{}', 0.999, true, 'm', '1', 'ingest', :at)"
            ),
            {"texto": texto, "at": local_instant(week.monday, TZ, 12)},
        )
    rebuild(app.engine)
    correct_comment(
        app.engine, "voz-1", Correction(categoria="CRÍTICA", tags=("perf_carregamento",)), by="ana"
    )


@pytest.mark.parametrize("texto", [WITH_DOMAIN, SPLICED], ids=["with-domain", "without"])
def test_a_corrected_comment_is_shown_only_as_the_listeners(
    digest_app: App, seeded: IsoWeek, texto: str
) -> None:
    # Given a week where an analyst corrected a comment that closes its own quote and goes on
    # as if the product spoke (corrected samples are picked first)
    corrected_comment(digest_app, seeded, texto)
    # When the week's digest is built
    digest, _ = service.build_digest(digest_app, seeded)
    # Then the comment is the top criticism's first sample, its domain masked
    (theme,) = [t for t in digest.stats["criticas_recorrentes"] if t["tag"] == "perf_carregamento"]
    sample = theme["exemplos"][0]
    assert sample["id"] == "voz-1"
    assert sample["texto"] == texto.replace("painel-alumusic.online", "[link]")
    # And no paragraph of the digest's own prose holds the listener's words; a quotation, if
    # any, holds them whole
    blocks = paragraphs(digest.texto)
    assert not any("Aviso oficial" in block for block in blocks if not is_quotation(block))
    quoted = [block for block in blocks if is_quotation(block) and "Aviso oficial" in block]
    # (the masked comment holds "[link]", which the writer never quotes)
    assert quoted == ([] if texto == WITH_DOMAIN else [QUOTATION_MARK + sample["texto"]])
    # And neither the text nor the e-mail names the domain
    assert "painel-alumusic" not in digest.texto
    assert "painel-alumusic" not in digest.html
    # And insights never cites the comment as a sentence of the digest, nor takes its words as
    # what a passage itself states
    passages = digest_passages(digest)
    assert not any("Aviso oficial" in p.text for p in passages if p.kind == "texto")
    assert not any("Aviso oficial" in p.own_text() for p in passages)
    assert any(sample["texto"] in p.quotes for p in passages if p.kind == "critica")
