"""What no weekly digest holds is refused with the reason named: one comment looked up by its id,
whoever comments (age, device, name), the company's costs and staff, a year or a month no digest
covers; near misses in the same words stay answered. Digests: the fixed set, 2026-W40..W48
(today 2026-11-30)."""

from __future__ import annotations

import pytest

from shared.digest.store import Digest
from shared.insights import ask
from shared.insights.answerer import Answer
from shared.insights.understanding import understand
from tests.unit.insights.conftest import TODAY


def answer(question: str, digests: list[Digest]) -> Answer:
    return ask(question, digests, today=TODAY)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("o que diz o comentário c-1005?", "id"),
        ("open comment #4412 for me", "id"),
        ("pull up comment number 88 please", "id"),
        ("qual a idade média dos ouvintes?", "idade"),
        ("what's the average age of our listeners?", "age"),
        ("qual a idade de quem reclama de travamentos?", "idade"),
        ("what's the average age of listeners who asked for lyrics?", "age"),
        ("how old is the typical person complaining about crashes?", "age"),
        ("how much did we spend on the new layout?", "spending"),
        ("quanto a empresa gastou com servidores em novembro?", "gastos"),
        ("o conserto do login custou caro?", "custos"),
        ("which reviewer fixed the most labels last week?", "staff"),
        ("quantos funcionários trabalharam nas revisões?", "equipe"),
        ("who on the staff answered the open questions?", "team"),
        ("what share of listeners are on iOS?", "device"),
        ("mais comentários vieram de android ou de iphone?", "aparelho"),
        ("which phones do our listeners use the most?", "device"),
        ("quantos comentários chegaram na terça-feira da semana 45?", "por dia"),
        ("how many comments came in on sundays?", "per day"),
        ("how many complaints did we get on 14/11?", "per day"),
        ("quantas críticas no dia 3 de novembro?", "por dia"),
        ("which was the busiest day of week 46?", "per day"),
        ("a que horas chegam mais reclamações?", "por hora"),
        ("de que cidade são os ouvintes que pedem letras?", "de onde"),
        ("where do most of the people asking for playlists live?", "where"),
        ("how many accounts had login problems in october?", "accounts"),
        ("quantas pessoas usam o app no carro?", "pessoas"),
        ("how many kids listen with the lyrics on?", "people"),
        ("how many women vs men asked for clips?", "gender"),
        ("qual a taxa de resolução dos travamentos?", "taxas"),
        ("how long did it take to fix the login bug?", "deadlines"),
        ("qual o prazo para corrigir os travamentos?", "prazos"),
        ("who is responsible for fixing the crashes?", "team"),
        ("what did the support team reply to the login complaints?", "team"),
        ("quantos comentários chegaram hoje de manhã?", "por dia"),
        ("how many comments came from Portugal?", "where"),
        ("what percentage of comments come from mobile?", "device"),
        ("did we fix the crashes yet?", "team"),
        ("quantas reclamações de login foram resolvidas?", "equipe"),
        ("what's the average response time to complaints?", "team"),
        ("qtos comentarios vieram na sexta passada?", "por dia"),
        ("how many comments on valentine's day?", "per day"),
        ("what was the peak hour for complaints in week 46?", "per hour"),
        ("how many comments did the drummer's post get?", "post"),
        ("quantas curtidas teve o vídeo da banda?", "vídeo"),
        ("quantos comentários no fim de semana passado?", "por dia"),
        ("what did people say over the weekend?", "per day"),
        ("what percentage of comments had emojis?", "emojis"),
        ("quantos comentários eram de bots?", "comentário"),
        ("qual foi o comentário mais longo?", "tamanho"),
        ("what's the most common word in the comments?", "words"),
        ("em qual versão do app apareceu o bug do login?", "versões"),
        ("quantas vezes o app travou na semana 46?", "sistema"),
        ("how long was the outage in october?", "system"),
        ("what are people tweeting about us?", "social"),
        ("quantas visualizações teve o clipe novo?", "visualizações"),
        ("who is the product manager for lyrics?", "staff"),
        ("how many comments did the moderators delete?", "staff"),
    ],
)
def test_what_no_digest_keeps_is_refused_naming_it(
    question: str, named: str, eval_digests: list[Digest]
) -> None:
    # Given the fixed digests, which count comments by week, category and tag only
    # When a question asks for a comment by id, whoever wrote, or the company's costs or staff
    got = answer(question, eval_digests)
    # Then it is refused as a figure no digest holds, the refusal naming what is missing
    assert not got.suportada
    assert got.reason == "metric"
    assert got.fontes == ()
    assert named in got.resposta


@pytest.mark.parametrize(
    "question",
    [
        "qual o nome do fã que pediu clipes?",
        "what's the listener's name who asked for offline downloads?",
        "como se chama o ouvinte que reclamou do login?",
        "give me the names of the users who complained about crashes",
        "how old is the fan who asked for clips?",
    ],
)
def test_the_name_of_whoever_wrote_is_refused(question: str, eval_digests: list[Digest]) -> None:
    # When a question asks the name or the age of whoever wrote something
    got = answer(question, eval_digests)
    # Then it is refused as personal data: the digests do not keep who wrote what
    assert not got.suportada
    assert got.reason == "person"


@pytest.mark.parametrize(
    "question",
    [
        "e 2022, como foi?",
        "how were things in may 2024?",
        "compare 2026 with 2023",
        "2021 vs 2022",
        "resumo de maio de 2025",
    ],
)
def test_a_year_or_month_no_digest_covers_is_refused(
    question: str, eval_digests: list[Digest]
) -> None:
    # Given digests of 2026-W40..W48 only
    # When a question names a year standing alone, or "may" with a year, none of them covers
    got = answer(question, eval_digests)
    # Then it is refused for its period, never answered about the latest week
    assert not got.suportada
    assert got.reason == "period"


@pytest.mark.parametrize(
    "question",
    [
        "I've got five minutes before a meeting, what's new with the listeners?",
        "tenho dez minutos, me dá um resumo da semana passada",
        "may I see the top complaints of last week?",
        "how much did the praise share change last week?",
        "o que mais pediram em 2026?",
        "what were the main complaints in november 2026?",
        "how many users asked for lyrics in week 46?",
        "quantas pessoas reclamaram de travamentos na semana 47?",
        "how fast did praise grow in november?",
        "como foi a semana do dia 10/11?",
        "what happened in the week of monday 16/11?",
        "did praise go up over time, week after week?",
        "what did people say about the band's lyrics?",
        "what's the state of things?",
        "what are the listeners' views on the lyrics?",
        "how many times was lyrics mentioned in november?",
        "how often did the app get praised in week 46?",
        "qual versão ao vivo pediram mais?",
        "any complaints about duplicate charges or the login?",
        "how long did the crash complaints last?",
        "do listeners say the lyrics feature costs too much?",
        "how much of the total did praise make up last week?",
        "quanto os elogios ganharam de participação em novembro?",
    ],
)
def test_near_misses_in_the_same_words_are_answered(
    question: str, eval_digests: list[Digest]
) -> None:
    # When a question shares a word with a refusal class ("minutes", "may", "how much", a year)
    # but asks what the digests hold
    got = answer(question, eval_digests)
    # Then it is answered from the digests, with sources
    assert got.suportada, got.resposta
    assert got.fontes


def test_a_year_partly_covered_is_answered_for_its_covered_weeks(
    eval_digests: list[Digest],
) -> None:
    # When a year standing alone is only partly covered by the digests
    got = answer("como foi 2026?", eval_digests)
    # Then it is answered for the covered weeks, naming the weeks without a digest
    assert got.suportada
    assert set(got.semanas) <= {f"2026-W{n}" for n in range(40, 49)}
    assert "Sem digest para" in got.resposta


@pytest.mark.parametrize(
    ("question", "tag"),
    [
        ("mostra comentários sobre velocidade de reprodução", "feat_velocidade"),
        ("what did people say about playback speed last week?", "feat_velocidade"),
    ],
)
def test_a_metric_word_inside_a_subject_name_is_the_subject(question: str, tag: str) -> None:
    # When a subject's name holds a word that alone would be a metric ("reprodução": plays)
    understood = understand(question)
    # Then the question is about the subject, not refused as a metric
    assert understood.refusal is None
    assert tag in understood.tags


@pytest.mark.parametrize(
    "question",
    [
        "which songs were the most played last week?",
        "quais faixas foram as mais ouvidas em novembro?",
        "how many comments were written in spanish in week 46?",
        "how positive are the comments on a scale of 1 to 10?",
        "is the premium plan profitable?",
        "how many 1-star reviews did we get?",
        "how happy are listeners overall?",
        "which album did people love the most?",
        "what are the ids of the lyrics comments?",
        "how many refunds did we give after the login problems?",
        "how much $ did we make in november?",
    ],
)
def test_plays_and_languages_are_figures_no_digest_holds(
    question: str, eval_digests: list[Digest]
) -> None:
    # When a question asks which tracks were played most, or the comments' language
    got = answer(question, eval_digests)
    # Then it is refused as a figure the digests never compute
    assert not got.suportada
    assert got.reason == "metric"


@pytest.mark.parametrize(
    ("question", "tag"),
    [
        ("o que disseram sobre problemas de login na semana 45?", "fix_login"),
        ("any news on the slow loading complaints?", "perf_carregamento"),
        ("quantas menções de contas invadidas em outubro?", "sec_conta"),
        ("how did the account security complaints go?", "sec_conta"),
        ("o que pedem sobre as notificações?", "feat_notificacao"),
        ("tell me about the account takeovers in october", "sec_conta"),
        ("o que falaram da invasão das contas?", "sec_conta"),
    ],
)
def test_a_subject_named_by_its_vocabulary_name_or_in_the_plural_is_that_subject(
    question: str, tag: str
) -> None:
    # When a question names a subject as the digests' headings do ("problemas de login"), or
    # puts the taxonomy's singular words in the plural ("contas invadidas")
    understood = understand(question)
    # Then the subject is read as its tag, not refused and not read as its category only
    assert understood.refusal is None
    assert tag in understood.tags


def test_the_competition_is_another_product_whatever_subject_it_names(
    eval_digests: list[Digest],
) -> None:
    # When a question asks what the competition does about a subject the digests list
    got = answer("o que a concorrência tá fazendo com as letras?", eval_digests)
    # Then it is refused as another product's, not answered with this product's subject
    assert not got.suportada
    assert got.reason == "entity"
