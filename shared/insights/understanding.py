"""What a question asks: its intent, the categories and tags it names, and whether the digests can
answer it at all (metrics they never compute, predictions, other subjects are refused up front).

Rules over the accent-folded question: the vocabulary of product people in PT-BR and English is
small and stable ("o que subiu", "main complaints", "what do people say about lyrics"), and a rule
that misfires is readable and fixable, unlike a model's guess. Tags come from the product's own
taxonomy (its PT/EN expressions), so a new tag in `taxonomy.json` is understood without code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from shared.classifier.tags import TAG_PATTERN, default_taxonomy
from shared.digest.vocabulary import tag_name
from shared.insights.periods import MONTHS, NOT_WEEK_NUMBER, NUMBER_WORDS
from shared.insights.text import STOP_WORDS, fold

Intent = Literal[
    "movement",
    "trend",
    "compare",
    "category",
    "total",
    "complaints",
    "suggestions",
    "improvements",
    "spikes",
    "questions",
    "review",
    "topic",
    "summary",
]
Refusal = Literal["metric", "future", "off_topic", "unknown_tag", "entity", "person", "unclear"]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Every pattern of the product's own words: a capitalised one of them in a question is not a name.
_PRODUCT_WORDS: Final[list[re.Pattern[str]]] = []


def _words(pattern: str) -> re.Pattern[str]:
    """A pattern of the product's own words, compiled and added to `_PRODUCT_WORDS`."""
    compiled = _rx(pattern)
    _PRODUCT_WORDS.append(compiled)
    return compiled


CATEGORY_PATTERNS: Final[dict[str, re.Pattern[str]]] = {
    "ELOGIO": _words(r"\b(elogi\w*|prais\w*|compliment\w*|positiv\w*|gostaram|amaram|loved)\b"),
    "CRÍTICA": _words(
        r"\b(critica\w*|criticism\w*|criticiz\w*|critiques?|reclamac\w*|reclamam|reclamaram|"
        r"reclamando|reclamou|reclamavam|complain\w*|queixa\w*|negativ\w*)\b"
    ),
    "SUGESTÃO": _words(
        r"\b(sugest\w*|suggest\w*|sugere\w*|sugeri\w*|pedidos|requests?|ideias|ideas)\b"
    ),
    "DÚVIDA": _words(r"\b(duvida\w*|questions?|perguntas?|doubts?)\b"),
    "SPAM": _words(r"\b(spam\w*|junk)\b"),
}

_MOVEMENT_UP: Final = _words(
    r"\b(subi\w*|sobe|subindo|aument\w*|cresce\w*|cresci\w*|rose|rise[sn]?|rising|grew|grow\w*|"
    r"increas\w*|gain\w*|climb\w*|jump\w*|went up|go up|gone up|going up|goes up|trending (up|upward|"
    r"higher)|up the most|ganhou|ganharam|"
    r"avanc\w*|piorou|piorar|worse\w*|salt(o|os|ou|aram)|pul(o|ou|aram)|"
    # "a maior alta": the noun of a rise ("em alta" alone is a spiking tag).
    r"maior(es)? (alta|subida)s?|subidas?)\b"
)
_MOVEMENT_DOWN: Final = _words(
    r"\b(caiu|cairam|cair|caindo|cai|queda\w*|diminu\w*|reduz\w*|reduc\w*|baix\w*|fell|fall\w*|"
    r"decreas\w*|declin\w*|drop\w*|shr[iau]nk\w*|went down|go down|gone down|going down|goes down|"
    r"trending (down|downward|lower)|perdeu|perderam|"
    r"lost|lose|melhorou|improved|fad(e|ed|es|ing)|died down|cool(ed)? (off|down)|esfri\w*|"
    r"desaceler\w*|slow(ed)? down)\b"
)
_MOVEMENT_ANY: Final = _words(
    r"\b(mov(?!imentad)\w*|varia\w*|oscil\w*|up or down|subiu ou caiu|biggest (change|shift|swing)|"
    r"maior(es)? (variac\w*|mudanc\w*)|significativ\w*|significant\w*|shift\w*)\b"
)
_TREND: Final = _words(
    r"\b(evolu\w*|evolv\w*|tendencia\w*|trend\w*|ao longo|over the (last |past )?(few )?weeks|across( the)? "
    r"weeks|over time|week (by|over|to) week|semana (a|apos) semana|historico|history|trajet\w*|"
    r"mudou|mudaram|mudanca\w*|chang\w*|progress\w*|each week|cada semana|por semana|per week|"
    r"every week|toda semana|todas as semanas|em que semana\w*|which weeks?|what weeks?|"
    r"quando|when)\b"
)
_COMPARE: Final = _words(
    r"\b(compar\w*|versus|vs|diferen\w*|differ\w*|em relacao a|relative to|against|contra|"
    r"(mais|menos) (fraca|forte|movimentad\w*|calm\w*|tranquil\w*|agitad\w*|cheia) (que|do que)|"
    r"(busier|quieter|slower|calmer|weaker|stronger|lighter|heavier|better|worse) than|"
    r"(melhor|pior) (que|do que))\b"
)
_COUNT: Final = _words(
    r"(\b(quant[oa]s?|how many|how much|numero de|number of|count\w*|contagem|percent\w*|"
    r"porcent\w*|share|fatia|proporc\w*|participac\w*|parcela|portions?|fractions?|"
    r"volume de comentarios|"
    r"comment volume|quanto)\b|%)"
)
_TOTAL: Final = _words(
    r"\b(total|totais|no total|in total|overall|ao todo|(quant[oa]s?|how many|numero de|"
    r"number of|volume de) (comentarios|comments|feedbacks?)|comentarios recebidos|"
    r"comments (did we|we) (get|receive)|received|recebemos|chegaram)\b"
)
_COMPLAINTS: Final = _words(
    r"\b(reclam\w*|queixa\w*|complain\w*|critica\w*|criticism\w*|criticiz\w*|critiques?|"
    r"problema\w*|problems?|issues?|pain points?|dores|hurts?|doi|doem|incomod\w*|bugs?|"
    r"defeito\w*|falhas?|insatisf\w*|unhappy|frustra\w*|hate|odeiam|detestam|irrit\w*|annoy\w*)\b"
)
_SUGGESTIONS: Final = _words(
    r"\b(sugest\w*|suggest\w*|sugere\w*|sugeri\w*|pedid\w*|ped(e|em|i|iu|ir|iram|indo|ia|iam)|request\w*|"
    r"asking for|ask for|asked for|want\w*|querem|queriam|quer|quero|gostariam|wish\w*|desej\w*|ideia\w*|"
    r"(?<!no )(?<!any )ideas?|propo\w*|feature requests?|new features?|novas? (funcionalidades?|funcoes|recursos?))\b"
)
_IMPROVE: Final = _words(
    r"\b(melhori\w*|melhorar|improv\w*|pontos de melhoria|o que (devemos|deveriamos|precisamos) "
    r"(corrigir|melhorar|priorizar|consertar)|prioriz\w*|prioriti\w*|fix first|should we fix|"
    r"focus on|focar|action items?|acoes)\b"
)
_SPIKES: Final = _words(
    r"\b(em alta|trending(?! (up|down|upward|downward|higher|lower))|spik\w*|dispar\w*|explod\w*|picos?|surg\w*|hot|bombando|bombou|fator|"
    r"blow(s|n)? up|blew up|took off|shot up|skyrocket\w*|soar\w*|"
    r"factor|fora do normal|unusual\w*|anomal\w*|acima da media|above (the )?(average|usual))\b"
)
_QUESTIONS: Final = _words(
    r"\b(duvidas? abertas?|open questions?|unanswered|perguntando|perguntam|perguntaram|"
    r"sem resposta|without (an )?answers?|asking(?! for)|(que|what|which) (duvidas|perguntas)|"
    r"(common|frequent|top|main|usual|recurring) questions|(duvidas|perguntas) (mais )?"
    r"(comuns|frequentes|recorrentes)|"
    r"asking about|asked about|ask about|what (do|did) (people|users|listeners) ask(?! for)|"
    r"quais (as )?(duvidas|perguntas)|which questions|what questions|duvidas? (dos|de) "
    r"(usuarios|ouvintes)|questions? (from|by) (users|listeners))\b"
)
_REVIEW: Final = _words(
    r"\b(revis\w*|(?<!year in )review\w*|correc\w*|corrig\w*|correct\w*|humanas?|humanos?|human|manual\w*|"
    r"baixa confianca|low confidence)\b"
)
_SAY: Final = _words(
    r"\b(dizem|disseram|falam|falaram|falando|dizendo|comentam|comentaram|comentando|acham|"
    r"achando|say\w*|said|talk\w*|think|thought|mention\w*|menc\w*|feedbacks?|opini\w*|sobre|"
    r"about|regarding|respeito|feel\w*|sentem)\b"
)
_SUMMARY: Final = _words(
    r"\b(resum\w*|summar\w*|destaque\w*|highlight\w*|aconteceu|happened|overview|panorama|"
    r"visao geral|rolou|houve de|novidades|what moved|o que mudou|takeaways?|principais pontos|"
    r"key points|insights?|recap|como foi|how was|digest|numeros|numbers|figures|"
    r"stats|estatisticas|metricas|metrics|indicadores|kpis?)\b"
)
_DOMAIN: Final = _words(
    r"\b(comentarios?|comments?|feedbacks?|usuarios?|users?|ouvintes?|listeners?|pessoas|people|"
    r"clientes?|customers?|app|aplicativo|plataforma|platform|categorias?|categor(y|ies)|tags?|"
    r"assuntos?|temas?|topics?|subjects?|funcionalidades?|features?|recursos?|digests?|alumusic)\b"
)
_WHICH: Final = _words(
    r"\b(quais|qual|which|what|que|top|principais|principal|main|maiores?|biggest|most)\b"
)
_CATEGORY_WORD: Final = _words(r"\b(categorias?|categor(y|ies))\b")
_MONTH_NAMES: Final = "|".join(m for m in MONTHS if len(m) > 3)
# Questions about everything at once ("quais são as tendências recentes?", the question the
# earlier system's clients send, "como estão as coisas", "what's going on lately"): a summary of
# the latest digests, never an off-topic refusal.
_GENERAL: Final = _words(
    r"\b(tendencias recentes|tendencias (atuais|do momento|das ultimas semanas)|recent trends|"
    r"latest trends|current trends|como (estao|andam|vao) as coisas|how are things|"
    r"what(?: ?'?s| is)(?: been)? (going on|happening|new)|"
    r"o que (esta|ta) acontecendo|o que ha de novo|alguma novidade|"
    r"quais as novidades|novidades|resum\w*|summar\w*|overview|visao geral|panorama|recap|"
    r"o que rolou|what happened|o que aconteceu|como foi|how was|"
    r"o que mudou|what changed|what moved|destaques|highlights|lately|ultimamente|"
    # Casual registers: "e aí, como tão as coisas?", "como tá indo?", "how's it going".
    r"e ai|eai|como (tao|ta|esta|estao|vao|vai|andam|anda|foram|ficaram|andaram|estavam|iam)"
    r"((?= *\W*$)| as coisas| os comentarios|"
    r" o feedback| o app| a gente| a semana| tudo| o mes| (o mes de )?(" + _MONTH_NAMES + r"))|"
    r"como (ta|esta|vai|tem) (indo|sendo)|tudo (bem|certo|ok|tranquilo)|"
    r"how(?: ?'?s| is| are) (it|things|everything|we|the comments|feedback) (going|doing|looking)|"
    r"how(?: ?'?s| is) (the week|the month|this month|this week|"
    + _MONTH_NAMES
    + r") (going|looking)|"
    r"how are we doing|what(?: ?'?s| is) up|any news|how were (things|the comments|comments|"
    r"listeners|the weeks|we doing)|"
    r"quais sao as boas|qual (e )?a boa|o que temos|what do we have|rundown|como estamos|"
    r"what(?: ?'?s| is) the latest|any updates?|quick update|status update|^status(?=\W*$)|"
    r"^(an? |quick |some )?updates?(?=\W*$)|^(oi|ola|hello|hi|hey|bom dia|boa tarde|boa noite|"
    r"good morning|good afternoon)(?=\W*$)|anything new|something new|o que tem de novo|"
    r"(o que|que que) (ta|esta) rolando|tl\W?dr|me atualiza|bota eu a par|fill me in|catch me up|"
    r"big picture|snapshot|wrap[- ]?up|(qual|como) (e |esta |ta )?o clima|vibe|"
    r"sum (it )?up|balanco|quadro geral|headlines?|state of (things|affairs|play)|"
    r"estado das coisas|situacao (atual|geral)|where (do )?things stand|"
    r"(stood|stands?|standing) out|what should (i|we) know|o que (eu |a gente )?(preciso|precisamos|"
    r"devo|devemos) saber|(big|main|top|key) stories|what mattered|what matters|o que importou|"
    r"(weekly|monthly) (report|summary|update)|relatorio( semanal| mensal)?|^report\b|"
    r"key events|what(?: ?'?s| is| was) important|o que (foi|e) importante|bullet points?|"
    r"(one|main|single) thing (i|we) (need|should|must)|need to know|"
    # "quais as tendências das últimas 4 semanas?", "main trends of the last 5 weeks"
    r"(tendencias|trends)(?= (d[aeo]s?|of|over|in|for|nas?|nos?|from|since|desde|durante|during|"
    r"ao longo) (the |as |os |a |o )?(ultim\w*|last|past|recent\w*|previous|semana\w*|weeks?|mes|"
    r"months?|\d|" + _MONTH_NAMES + r")|\W*$)|"
    # "me conta da semana 15", "tell me about last week": a period's overview.
    r"(me |^)(conta|conte|fala|fale)( ai| ae| pra mim)? (d[aeo]s?|sobre|como (foi|foram)) "
    r"(a |o |as |os )?(\w+ )?(ultim\w* |"
    r"primeir\w* )?(semanas?|mes|w\d|" + _MONTH_NAMES + r")|tell me (about|how) (the |last |this |"
    r"that |our )?((first|last|final|past|previous) (\w+ )?(weeks?|months?)|week|month|w\d|"
    + _MONTH_NAMES
    + r")|chamou (a )?atencao|chamaram (a )?atencao|(de )?mais importante|"
    r"talking points|key (things|points|takeaways)|main (things|points)|worry|worried|preocup\w*|"
    r"pontos? principa\w*|o que (teve|houve|rolou) de (novo|importante|relevante)|"
    r"how (did|does|do|is|was|are|were) .{0,40}\b(go|going|look|looking|went|end|ended|start|"
    r"started|begin|began)\b|como (terminou|acabou|comecou|fechou) |"
    r"como (foi|ficou) (a semana|o mes|" + _MONTH_NAMES + r")|what(?: ?'?s| is| was) the story|"
    # "give me W23 in a nutshell", "como foram as duas primeiras semanas de maio?": a period
    # asked about as a whole.
    r"(in|into) a nutshell|nutshell|in brief|in short|em poucas palavras|em resumo|resumindo|"
    r"(em|in) (\d+|poucas|tres|duas|few|three|two) (linhas|lines|frases|sentences|bullets|topicos)|"
    r"brief me|briefing|what went on|what was going on|o que (se )?passou|"
    r"resumidamente|the gist|o essencial|"
    r"(como|how) (foi|foram|ficou|ficaram|andou|andaram|went|were|was) (a |as |o |os |the )?"
    r"(\w+ ){0,2}(semanas?|weeks?|meses|months?|quinzenas?|fortnights?))\b"
)
# "the number of praise comments fell": the count, not the share, is asked about
_BY_COUNT: Final = _words(
    r"\b(numero|number|numbers|quantidade|count|contagem|volume|quantos|quantas|how many|"
    r"absolut\w*|em numeros)\b"
)
_PEAK: Final = _words(
    r"\b((hit|hits|reached|reach|at) (its|their|a|an|the|new|all[- ]time) (high|peak|top|max\w*)|"
    r"all[- ]time high|pico|peak\w*|dispar\w*|spik\w*|explod\w*|bombou|mais alt[oa]s?|highest|record\w*|"
    r"blow(s|n)? up|blew up|took off|shot up|skyrocket\w*|soar\w*|surg\w*|"
    r"topo|auge|maximo|maxima)\b"
)
# "a maior crítica numa única semana", "biggest single-week suggestion": the largest count any
# one week recorded, not the sum over the weeks.
SINGLE_WEEK: Final = _rx(
    r"\b((numa|num|em uma|em um|uma|de uma) (unica|so|mesma) semana|(numa|em uma|uma) semana so|"
    r"(?<!every )single[- ]week|in (a|one) (single )?week|in any (one |single )?week|one[- ]week|"
    r"pico semanal|weekly (peak|record|high))\b"
)
# A sudden rise, as opposed to a level ("o ponto mais alto", "its highest share").
_SURGE: Final = _words(
    r"\b(dispar\w*|surg(e|es|ed|ing)|explod\w*|blow(s|n)? up|blew up|took off|shot up|"
    r"shoot(s|ing)? up|through the roof|estour\w*|bombaram|"
    r"skyrocket\w*|soar\w*|spik\w*|bombou|bombando)\b"
)
_START: Final = _words(
    r"\b(comec\w*|start\w*|began|begin\w*|surgi\w*|appear\w*|aparec\w*|show(ed)? up|first|"
    r"desde quando|since when|"
    r"how long have)\b"
)

_PEOPLE: Final = r"(pessoas|usuarios|ouvintes|clientes|people|users|listeners|customers)"
# Metrics the digests never compute: asked for, they are refused rather than approximated.
_METRICS: Final = _rx(
    r"\b((how many|quant[oa]s|number of|numero de) (refunds|reembolsos|estornos|chargebacks)|"
    # "how much $ did we make": money, whatever the currency; "make up" is a share.
    r"(how much|quanto)\b.{0,20}\b((make|made)(?! up)|earn\w*|ganhamos|a gente ganhou|"
    r"lucramos|arrecad\w*)\b|(reais|dolares|dollars|euros|usd|brl)\b|"
    r"refunds? (did|do|does|have|has) (we|they|the company|you) (give|gave|issue\w*|pa(y|id)|"
    r"grant\w*)|profitab\w*|lucrativ\w*|rentab\w*|on a scale|numa escala|(de|from) [01] (a|to) (5|10)|"
    r"\d ?-? ?(stars?|estrelas?)|\brate (the|it|us|our|this|that|a|o)\b|did (\w+ ){1,2}rate\b|how (happy|unhappy|satisfied|content|pleased|sad|angry) (are|is|"
    r"were|was)|(quao|o quanto|quanto) (\w+ ){0,2}(felizes|contentes|satisfeit\w*|insatisfeit\w*)|"
    r"out of (5|10)\b|(most|least|mais|menos) (played|streamed|listened to|tocad[oa]s?|ouvid[oa]s?|"
    r"escutad[oa]s?)|receita\w*|revenue\w*|faturamento|faturou|lucro\w*|profits?|vendas|sales|dinheiro|money|"
    r"streams|streaming count|plays|reproduc(ao|oes)|execuc\w*|ouvintes mensais|monthly listeners|"
    r"assinantes|subscribers?|usuarios ativos|active users|dau|mau|installs?|instalac\w*|"
    r"nota media|notas?|avaliac\w*|ratings?|rated|estrelas|stars|nps|net promoter|sentiment\w*|"
    r"sentimento\w*|humor|mood|fatur\w*|satisfacao|satisfaction|satisfeitos|satisfied|felicidade|"
    r"happiness|(are|is|were|was) (the )?(people|users|listeners|customers|fans|they|everyone) "
    r"(happy|happier|content|pleased)|(estao|estavam|anda|andam|ficaram) (mais )?(felizes|"
    r"contentes)|ontem|anteontem|yesterday|hoje|today|tonight|churn|cancelamentos?|cancellations?|retenc\w*|retention|"
    # Minutes are listening time ("minutes per day"), not any minutes ("a meeting in ten minutes").
    r"tempo de escuta|listening time|(minutos|minutes) (por|per|de escuta|ouvid\w*|of listening|"
    r"listened|streamed|played)|idade|faixa etaria|age|ages|genero dos|"
    r"gender|regi(ao|oes)|regions?|pais(es)?|country|countries|cidades?|city|cities|estados|"
    r"hora do dia|horario\w*|time of day|hours? of (the )?day|(which|what) (hour|time)s?\b|"
    r"(que|qual|quais) (hora|horas|horario)s?\b|days? of the week|dias? da semana|weekdays?|dias uteis|"
    r"(on|at|during|over|nos|aos|durante os|em) (the )?(weekends|fins de semana)|(what|which) days?\b|(que|qual|quais|em que) dias?\b|per hour|por hora|hourly|por dia|per day|daily|diari\w*|"
    r"confianca media|mean confidence|average confidence|precision|precisao|recall|f1|acuracia|"
    # "costs too much", "worth what it costs": a price complaint, not the company's costs.
    r"accuracy|latencia|latency|custos?|costs?(?! too| a lot| demais)(?!.{0,40}\bworth\b)|"
    r"orcamento|budget|funcionari[oa]s?|employees?|"
    r"concorrentes?|competitors?|market share|participacao de mercado|salario\w*|salar(y|ies)|"
    r"vendemos|vendeu|venderam|vendid[oa]s|bilheteria|box office|sold(?! out)|"
    r"convers(ao|oes|ions?)|conversion rate|"
    r"tempo (medio |total )?(de escuta|ouvindo|escutando)|(average |total )?listening (time|hours)|"
    r"horas (ouvidas|de escuta|escutadas)|hours (listened|streamed|played)|app store|play store|"
    r"(novas|new) (assinaturas|subscriptions)|subscription cancellations?|sell|selling|"
    r"unsubscrib\w*|desinscrev\w*|(quem|who|(os|as|aqueles|aquelas|pessoas|usuarios|ouvintes) que) "
    r"(\w+ )?(cancel\w*|sairam|saiu|quit|left(?! (a|an|the|us a|comments?|feedbacks?|reviews?|"
    r"notes?|messages?)\b))\b|"
    r"cancel\w*\s+(a\s+|the\s+|their\s+|sua\s+|suas\s+|my\s+|minha\s+)?(assinaturas?|"
    r"subscriptions?|planos?|plans?|contas?|accounts?)|(quanto tempo|how long|how much time)\b.{0,40}\b(ouv\w*|escut\w*|listen\w*|"
    r"usando|using|no app|in the app)|streamed|(how many|quant[oa]s) (hours|horas|minutos|minutes)|"
    r"(how many|quant[oa]s) (songs|musicas|faixas|tracks|albuns|albums|plays|reproducoes)|"
    r"(app|aplicativo) (was |foi )?(downloaded|baixado)|desinstal\w*|uninstall\w*|"
    r"upgrades? (to|para) (premium|pago|paid)|converted|"
    r"(ouvintes|usuarios|pessoas|listeners|users|people|commenters|contas|accounts) "
    r"(unic[oa]s|distint[oa]s|diferentes)|(unique|distinct|different|individual) (listeners|"
    r"users|people|commenters|visitors|accounts|authors)|"
    r"(how many|quant[oa]s) (\w+ )?(users|usuarios|subscribers|assinantes|members|membros|"
    r"accounts|contas|listeners|ouvintes)\s*(do we have|we have|temos|tem o app|are there|"
    r"existem|ha no app|does the app have|$)|"
    r"quanto custa|how much (is|does|do|are|will) (the |a |our )?(\w+ )?(plan|subscription|"
    r"premium|membership|app)|(what(?: ?'?s| is| was| are)|tell me|qual (e |era |foi )?) ?(the |o )?"
    r"(preco|valor|price|cost)s? (d[oa]s? |of (the |a |our )?)(\w+ )?(plano|assinatura|mensalidade|"
    r"premium|plan|subscription|membership)|arpu|ltv|lifetime value|cac|ticket medio|crash rate|crash free|taxa de (travamento|crash)|"
    r"tempo medio de carregamento|average load(ing)? time|"
    rf"(how many|quant[oa]s) {_PEOPLE} (ouviram|escutaram|listened|streamed|played|baixaram|"
    r"downloaded|assinaram|subscribed|cancelaram|cancell?ed|compraram|bought|pagaram|paid|"
    r"instalaram|installed|usaram|used|abriram|opened))\b"
)
# Things about the comments or the company that no digest keeps, each with how a refusal names
# it: the reader learns what is missing, not only that something is.
_NOT_HELD: Final[tuple[tuple[re.Pattern[str], str, str], ...]] = (
    (
        # "c-170012": one comment looked up by its id; a digest quotes a few, it is no archive.
        _rx(r"\bc-?\d{3,}\b|\b(comentario|comment) (numero|number|n[or]?\.?|#) ?\d+"),
        "comentários procurados pelo id",
        "comments looked up by their id",
    ),
    (
        _rx(
            r"\b(how old|what age|(que|qual|quais) (e |era )?(a )?(idade|faixa etaria)s?|"
            r"quantos anos (tem|tinha|tinham)|idade (media )?(d[oa]s?|de quem)|ages? of|"
            r"(average|mean) age|faixa etaria|age (group|range|bracket)s?|genders?|generos? d|"
            r"(men|women|homens|mulheres|male|female|masculino|feminino|boys|girls|meninos|"
            r"meninas)\b.{0,30}\b(vs|versus|x|or|ou|and|e|than|que)\b.{0,10}\b(men|women|homens|"
            r"mulheres|male|female|masculino|feminino|boys|girls|meninos|meninas))\b"
        ),
        "a idade ou o gênero de quem comenta",
        "the age or gender of whoever comments",
    ),
    (
        # What a comment looks like beyond its category and tags: no digest keeps its words,
        # length, emojis, tone or whether a bot or a duplicate wrote it.
        _rx(
            r"\b(emojis?|emoticons?|bots?|robos?|(comentarios?|comments?|posts?|mensagens|"
            r"messages) (\w+ )?(duplicad\w*|duplicates?|repetid\w*)|(duplicad\w*|duplicate) "
            r"(comentarios?|comments?|posts?|messages|mensagens)|sarcas\w*|ironi\w*|"
            r"irony|caixa alta|all caps|in capitals|maiusculas|(comentarios?|comments?) (mais )?"
            r"(long[oa]s?|curt[oa]s?|longest|shortest)|(how long|qual o tamanho|tamanho medio) "
            r"(is|are|e|dos|do|de)? ?(the |um |o |os )?(average |typical )?(comments?|comentarios?)|"
            r"(palavras?|words?|termos?|terms?|expressions?|expressoes) (mais|most) (comuns?|"
            r"common|frequent\w*|usad\w*|used|aparece\w*)|(mais|most) (comuns?|common|"
            r"frequent\w*|usad\w*|used) (palavras?|words?|termos?|terms?)|(qual|which|what|que) "
            r"(palavras?|words?|termos?|terms?) (\w+ ){0,2}(mais|most|aparece\w*|appear\w*)|"
            r"(mention|mentions|mentioned|use|used|uses|say|said|with|contain\w*|tem|usam|usaram|"
            r"citam|citaram|com|escrev\w*) (the word|a palavra))\b"
        ),
        "palavras, tamanho, emojis ou tom de cada comentário",
        "a comment's words, length, emojis or tone",
    ),
    (
        # App versions, commits, outages and how often the app itself failed: the digests count
        # what listeners wrote about it, not the product's own records.
        _rx(
            r"\b((qual|which|what|que|em qual|em que|in which|in what) (versao|version|release|"
            r"build)(?! (ao vivo|acustic\w*|instrumenta\w*|de teste|live|acoustic|instrumental|beta|"
            r"slowed|sped|acelerad\w*|notes|notas))|app version|versao do app|commits?|pull requests?|deploy\w*|uptime|"
            r"outages?|(how long|quanto tempo) (was|were|did|durou|ficou) (the |a |o )?"
            r"(outage|downtime|queda|app|server|servidor)|"
            r"(quantas vezes|how many times|how often) (did |has |have |was |were )?(o |a |the )?"
            r"(app|aplicativo|site|player|servidor|server|sistema|system)\b"
            r"(?!.{0,30}\b(mencion|mention|cit|coment|comment|falad|talked|pedid|asked|elogi|"
            r"prais|reclam|complain|critic|suggest|sugeri|request)))"
        ),
        "versões do app, falhas registradas pelo sistema nem o código",
        "app versions, failures the system recorded or the code",
    ),
    (
        # The press and social networks: the digests hold comments sent to the product.
        _rx(
            r"\b(tweet\w*|press (articles?|coverage|mentions?|releases?)|imprensa|"
            r"materias? (na|de|do) (imprensa|jornal)|news articles?|media (coverage|mentions)|"
            r"newsletters?|e-?mail campaigns?|followers|seguidores|visualizac\w*)\b"
        ),
        "imprensa, redes sociais nem visualizações",
        "the press, social networks or views",
    ),
    (
        # "the drummer's post", "o vídeo da banda": comments are counted by week, not by where
        # on the band's channels they were left.
        _rx(
            r"\b((drummer|band|singer|artist|guitarist|bassist|baterista|banda|cantor\w*|"
            r"vocalista|guitarrista|artista|label|gravadora)('s)? (latest |new |last )?(posts?|"
            r"tweets?|videos?|reels?|stor(y|ies)|lives?)|(posts?|publicac\w*|videos?|tweets?|"
            r"stor(y|ies)|reels?) d[oa]s? (banda|baterista|cantor\w*|vocalista|guitarrista|"
            r"artista|gravadora))\b"
        ),
        "comentários por publicação ou vídeo",
        "comments per post or video",
    ),
    (
        # "de que estado são os ouvintes", "where do our listeners live": no digest knows where
        # a comment was written.
        _rx(
            r"\b((de|em|from|in) (que|qual|quais|which|what) (estados?|cidades?|pais(es)?|"
            r"regi(ao|oes)|bairros?|states?|cit(y|ies)|countr(y|ies)|regions?|neighbou?rhoods?)|"
            r"where (do|does|did|are|is|were|was) .{0,60}\b(live|lives|based|located|come from|"
            r"comes from|are from|is from)|de onde (sao|vem|vieram|e|eram)|onde (moram|vivem|"
            r"ficam)|(from|de|do|da|in|no|na|em|vindos? d[oa]|vieram d[oa]) (brasil|brazil|"
            r"portugal|argentina|mexico|eua|usa|estados unidos|united states|reino unido|angola|"
            r"mocambique|espanha|spain|europa|europe|america latina|latin america|sao paulo|"
            r"rio de janeiro|nordeste|abroad|exterior|fora do pais))\b"
        ),
        "de onde é quem comenta",
        "where whoever comments lives or writes from",
    ),
    (
        # A figure of one day or hour: each digest sums a whole week ("on monday", "no dia 3 de
        # março", "on 14/02", "the busiest day"); "the week of 14/02" is that week.
        _rx(
            r"\b((on|no|na|nas|nos|every|toda|todo|todas as|todos os|aos|during|durante a|de|as) "
            r"(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|"
            r"segundas?[- ]feiras?|tercas?([- ]feiras?)?|quartas?[- ]feiras?|quintas?[- ]feiras?|"
            r"sextas?[- ]feiras?(?! santa| da paixao)|sabados?|domingos?)|"
            r"(on|no dia|naquele dia|nesse dia|neste dia|that day|exactly on) (the )?"
            r"(\d{1,2}(st|nd|rd|th)?( de| of)? (" + _MONTH_NAMES + r")|\d{1,2}/\d{1,2}|"
            r"(" + _MONTH_NAMES + r") \d{1,2}(st|nd|rd|th)?)\b|"
            r"(busiest|quietest|calmest|slowest|worst|best|peak|pior|melhor) (single )?days?|"
            r"(o |the |qual (foi )?o |which )dia (com|de|mais|em que)|day (with|of) the (most|fewest)|"
            r"(dias?|days?) (mais|most) (movimentad\w*|agitad\w*|calm\w*|busy|active)|"
            r"(que|what|which|qual) (horas?|horario|time of day|hour)|"
            r"(peak|busiest|rush) hours?|(horario|hora|horas) (de pico|mais)|"
            r"(last|this|that|past) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
            r"(segunda|terca|quarta|quinta|sexta)([- ]feira)? (passada|retrasada)|"
            r"(sabado|domingo) (passado|retrasado)|(fim de semana|fds) (passado|retrasado)|"
            r"(last|this|that|past|the|on the|over the|during the) weekend|"
            r"(no|neste|nesse|naquele|durante o|do) (fim de semana|fds)\b(?! d[aeo]s? (ano|mes))|"
            r"(?<!week of )(?<!semana do )(?<!semana de )(?<!week of the )"
            r"(valentine'?s day|valentines day|dia dos namorados|halloween|black friday|"
            r"cyber monday|dia das maes|dia dos pais|mother'?s day|father'?s day|thanksgiving)|"
            r"\d{1,2} ?(h|am|pm|horas)\b|this (morning|afternoon|evening)|last night|"
            r"(esta|nesta|essa|nessa|hoje a|hoje de|agora a|ontem a|ontem de) (manha|tarde|noite))"
        ),
        "contagens por dia ou por hora (cada digest soma uma semana inteira)",
        "figures per day or per hour (each digest sums a whole week)",
    ),
    (
        # A count of people, accounts or devices ("quantas contas foram invadidas", "how many
        # kids use kids mode"): the digests count comments; "how many users asked for X" is
        # read as the comments that asked.
        _rx(
            r"\b(quant[oa]s|how many|number of|numero de) (\w+ )?(pessoas|people|usuari[oa]s|"
            r"users|ouvintes|listeners|clientes|customers|contas|accounts|criancas|kids|children|"
            r"familias|families|fas|fans|membros|members|homens|mulheres|men|women|perfis|"
            r"profiles|dispositivos|devices|aparelhos|celulares|phones|artistas|artists|"
            r"musicas|songs|faixas|tracks|remixes|playlists)\b"
            r"(?!(\s+\w+){0,3}\s+(comentaram|comentou|comentando|reclam\w*|pediram|pediu|pedindo|"
            r"complain\w*|asked|asking|request\w*|mention\w*|mencion\w*|wrote|writing|escrev\w*|"
            r"comment\w*|elogi\w*|prais\w*|suggest\w*|sugeri\w*|pergunt\w*|falaram|falando|"
            r"talked|talking|said|saying|disseram|criticiz\w*|critic\w*|wanted|queriam|quer\w*|"
            r"want\w*)\b)"
        ),
        "contagens de pessoas, contas ou aparelhos (só de comentários)",
        "counts of people, accounts or devices (only of comments)",
    ),
    (
        # How fast, how well or by whom something was fixed: the digests count what listeners
        # wrote, not the product's work on it.
        _rx(
            r"\b(taxas? de (resolucao|sucesso|acerto|erro|falha|conversao|abandono)|"
            r"(success|resolution|error|failure|fix|bounce|abandonment) rates?|"
            r"response times?|tempo (medio )?de (resposta|atendimento)|"
            r"(were|was|foram|foi|got|have been|has been) (already |actually |really |ja |"
            r"realmente |de fato )?(resolved|solved|fixed|closed|answered|replied to|implemented|"
            r"adopted|built|shipped|resolvid[oa]s?|solucionad[oa]s?|corrigid[oa]s?|"
            r"consertad[oa]s?|fechad[oa]s?|respondid[oa]s?|atendid[oa]s?|implementad[oa]s?|"
            r"adotad[oa]s?|acatad[oa]s?)|(were|was|foram|foi|have been|has been) (\w+ ){0,3}"
            r"(implemented|answered|accepted|approved|rejected|declined|implementad[oa]s?|"
            r"respondid[oa]s?|aceit[oa]s?|aprovad[oa]s?|rejeitad[oa]s?|recusad[oa]s?)|"
            r"(were|was|have|has|foram|foi) (\w+ ){0,4}(ever |already |ja )?(implemented|answered|"
            r"accepted|approved|rejected)|"
            r"(did|have|has) (we|they|the team|you|engineering|the devs?) (\w+ ){0,2}(fix|fixed|"
            r"solve|solved|resolve|resolved)|ja (corrigiram|consertaram|resolveram|arrumaram|"
            r"corrigimos|consertamos|resolvemos)|(team|equipe|time de \w+) (\w+ ){0,2}(know|knows|"
            r"sabe|sabem|aware|ciente)|"
            # How long a fix took, not how long listeners kept complaining ("how long did the
            # complaints last" is the weeks that list them).
            r"(how long|quanto tempo) (did|does|will|do|has|would) (it|they|we|the team|you) "
            r"(take|need)|(how long|quanto tempo) (\w+ ){0,4}(to fix|to solve|to resolve|"
            r"(pra|para) (corrigir|consertar|resolver|arrumar))|quanto tempo (levou|leva|vai levar|"
            r"demorou|demora) (pra|para|a) |"
            r"(qual|what(?: ?'?s| is| was)?) (o |the )?(prazo|deadline|eta)|"
            r"how (fast|quick|quickly|slow) (is|are) (the |our )?(app|search|fix|support|team|"
            r"\w+ing)\b|"
            r"(quao|o quao) (rapid\w*|lent\w*)|"
            r"(when|quando) (will|would|is|does|vai|vao|sera|serao|deve) (\w+ ){0,4}"
            r"(be )?(fixed|resolved|solved|released|launched|shipped|resolvid\w*|corrigid\w*|"
            r"consertad\w*|lancad\w*|sair)|"
            r"(who|quem) (is|e|sera|will|vai|should|deve|esta|fixed|fixes|consertou|corrigiu|"
            r"resolveu) (\w+ ){0,2}(responsible|responsavel|fix|fixing|consertar|corrigir|"
            r"resolver|handl\w*|cuidar|cuidando|the fix|o conserto)|"
            r"(support|suporte|team|equipe|staff|company|empresa) (\w+ ){0,2}(reply|replied|"
            r"respond\w*|answer\w*|respondeu|responderam)|(what|o que) (did|has|have|does) "
            r"(the |our )?(support|team|staff|company) (done|do|doing)|o que (a |o )?(equipe|"
            r"empresa|suporte) (fez|faz|esta fazendo))\b"
        ),
        "prazos, taxas de resolução nem o trabalho da equipe",
        "deadlines, resolution rates or the team's work",
    ),
    (
        # "how many votes did the poll get?", "quem ganhou a enquete?": a poll's votes are counted
        # where it ran, not in the comments ("comments about the poll" stay comments).
        _rx(
            r"\b(votes?|voted|voting|votos?|votaram|votou|votacao|ballots?)\b|"
            r"\b(polls?|enquetes?|surveys?|pesquisas?) (\w+ ){0,2}(results?|resultados?|winner|"
            r"vencedor\w*|won|ganhou|venceu|got|teve|tiveram|received|recebeu)\b|"
            r"\b(who|what|quem|qual|que|which) (\w+ ){0,2}(won|ganhou|venceu) (the |a |o )?(polls?|"
            r"enquetes?|surveys?|pesquisas?|votac\w*)\b"
        ),
        "votos nem resultados de enquetes",
        "votes or poll results",
    ),
    (
        _rx(
            r"\b(custou|custaram|custaria|custar|(did|does|would|will) (it|that|this) cost|"
            r"gastamos|gast(ou|aram) (\w+ )?com|spent|spend(ing)? on|expenses?|despesas?|investimos|"
            r"invested|investimento|investment)\b"
        ),
        "custos nem gastos",
        "costs or spending",
    ),
    (
        _rx(
            r"\b(funcionari[oa]s?|employees?|staff|colaborador(es|as?)?|equipe interna|"
            r"moderators?|moderador(es|as?)?|"
            r"(who|quem) (is|e|sao|are|was|foi) (the |our |o |a |os |as )?(\w+ )?(product manager|pm|"
            r"gerente|manager|lead|head|responsavel|dono|owner|engineers?|engenheir\w*|devs?|"
            r"developers?|designers?|desenvolvedor\w*)|"
            r"(qual|quais|que|which|who|quem) (\w+ )?(revisor\w*|reviewers?|moderador\w*|"
            r"moderators?|analistas?|analysts?|annotators?|anotador\w*|atendentes?|agents?))\b"
        ),
        "o que cada pessoa da equipe fez",
        "what each member of the staff did",
    ),
    (
        # "quantos usam iphone", "what share of listeners are on Android": the digests count
        # comments by category and tag, never by device or system.
        _rx(
            r"\b((quant[oa]s?|how many|how much|what (share|percentage|percent|fraction|part)|"
            r"qual (a )?(porcentagem|proporcao|parcela|fatia|parte)|(de )?que (aparelho|celular|"
            r"sistema)|which (device|phone|platform|system)|more|mais|menos|fewer|less)\b.{0,40}"
            r"\b(iphones?|ipads?|android|ios|windows|macos|linux|tablets?|smartphones?|mobile)|"
            r"(aparelhos?|dispositivos?|devices?|"
            r"celulares|phones|sistemas operacionais|operating systems|platforms|plataformas) "
            r"(d[oa]s|of the|of|que|used|usad[oa]s|mais usad\w*|most used)|"
            r"(which|what|que|qual|quais) (devices?|phones?|platforms?|aparelhos?|celulares?|"
            r"sistemas?|plataformas?)\b.{0,30}\b(use|uses|usam|usa|using|usando|run|rodam|have|tem))\b"
        ),
        "o aparelho ou sistema de quem comenta",
        "the device or system of whoever comments",
    ),
)
# Arithmetic ("quanto é 48/6", "what is 12 times 7"): no digest is a calculator.
# (A number is read from its first digit: started anywhere inside a long run of digits, each try
# read the rest of the run again, which was quadratic.)
_ARITHMETIC: Final = _rx(
    r"(?<!\d)\d+(?:[.,]\d+)?\s*%\s*(?:of|de|do|da)\s*\d+|raiz quadrada|square root|"
    r"(?<!\d)\d+(?:[.,]\d+)?\s*(?:[-+*/x\u00d7\u00f7]|times|vezes|plus|minus|mais|menos|dividido por|"
    r"divided by|multiplicado por|multiplied by|elevado a|to the power of)\s*\d+"
)
_ARITHMETIC_ASK: Final = _rx(
    r"\b(quanto (e|da|fica|sao)|what(?: ?'?s| is)|how much is|calcul\w*|compute|resultado de|"
    r"result of|solve|resolva)\b"
)
# Counts of things other than comments, and breakdowns the digests never make (platform, device,
# language), and what they never keep about a comment (its likes, length, moderation) or the raw
# comments themselves.
_OTHER_COUNTS: Final = _rx(
    r"\b((comentarios|comments|feedbacks?|reviews?)\s+(\w+\s+){0,3}(em|in) (ingles|english|espanhol|"
    r"spanish|portugues|portuguese|frances|french|alemao|german)|(por|by|per) (idioma|lingua|"
    r"language)|language breakdown|(longest|shortest|mais long[oa]|mais curt[oa]) (comment|"
    r"comentario)|(comment|comentario)s? (length|tamanho|comprimento)|(tamanho|comprimento|"
    r"length) medi[oa]|average (comment )?length|likes|curtidas|mais curtid\w*|most liked|"
    r"upvot\w*|(comments?|comentarios?|posts?|mensagens|messages|reviews?|feedbacks?|spam)\s+"
    r"(\w+\s+){0,2}(deleted|removed|moderad\w*|moderated|apagad\w*|excluid\w*|removid\w*|"
    r"banid\w*|banned|censur\w*)|(deleted|removed|moderated|apagad[oa]s|excluid[oa]s|removid[oa]s|"
    r"moderad[oa]s) (comments|comentarios|posts|mensagens|messages)|(quant[oa]s|how many|numero de|number of|total de) (novos |novas |new )?(downloads|"
    r"instalac\w*|installs?|plays|streams|visitas|visits|acessos|sess(oes|ions)|assinantes|"
    r"subscribers|seguidores|followers|assinaturas|subscriptions|cancelamentos|cancellations|"
    r"ingressos|tickets|vendas|sales|conversoes|conversions|usuarios novos|new users|cadastros|"
    r"sign ?ups)|"
    r"(ios|android|iphone|ipad|windows|macos|mac|web|desktop) (users|usuarios)|"
    r"(usuarios|users|comentarios|comments) (do|de|of|on|from|no|na) (ios|android|iphone|ipad|windows|"
    r"macos|web|desktop)|(usuarios|users|listeners|ouvintes|pessoas|people|clientes|customers)\s+"
    r"(\w+\s+){0,2}(on|no|na|using|usando|with|com|use|usam)\s+(ios|android|iphone|ipad|windows|"
    r"macos|mac|web|desktop)\b|"
    r"(comments?|comentarios?|feedbacks?|reviews?) (\w+ ){0,2}(from|via|through|pelo|pela|vindos? "
    r"d[oa]|d[oa]) (the |o |a )?(website|site|web|email|e-mail|sms|whatsapp|support|suporte|"
    r"chat|formulario|form|app stores?|play store|redes sociais|social media)\b|"
    r"(from|by|per|por) (source|fonte|canal|channel)|"
    r"\b(replies|retweets|reposts)\b|(mais|most) (respondid\w*|replied|compartilhad\w*|shared|"
    r"viewed|vistos?|visualizad\w*)|(shared|replied to|viewed|compartilhad\w*|respondid\w*|"
    r"visualizad\w*) (the )?(most|mais)|(quant[oa]s|how many) (respostas|replies|views|visualizac\w*|"
    r"shares|compartilhamentos)|"
    r"(from|by|per|por) (platform|plataforma|device|dispositivo|aparelho|"
    r"sistema operacional|operating system))\b"
)
# Every comment itself ("show me all comments from last week"): the digests keep counts and a few
# quoted examples, never the whole set.
_ALL_COMMENTS: Final = _rx(
    r"\b(all|every|todos os|todas as) (the |of the |os |as )?(\d[\d.,]* )?(comments?|comentarios|"
    r"feedbacks|reviews|mensagens|messages)\b"
)
# The ids of every comment on something: a digest keeps a few example ids, never the full list.
_ALL_IDS: Final = _rx(
    r"\b((ids?|identificadores|identifiers) (of|de|dos|das|for) (all|every|each|todos|todas|cada)|"
    r"(all|every|todos os|todas as) (the |os )?(comment |comentarios? )?(ids|identificadores)|"
    r"(every|each|all|cada|todos os|todas as) (comment|comentario)s?('s)? ids?|"
    # One comment's id asked for ("the comment id of the first request", "o id do comentário"):
    # a digest's examples are a sample, never a way to look a comment up.
    r"(comment|comentario) ids?|ids? (do|of the|of a|de um) (comment|comentario)|"
    r"ids? (of|do|dos|das|de) (the |os |as )?(\w+ ){0,3}(comments|comentarios))\b"
)
# Asking for the comments themselves, all of them: "show me every comment about X", "me manda
# todos os comentários sobre Y". The digests keep a few quoted examples per subject.
_LISTING: Final = _rx(
    r"\b(show|list|export|send|give|download|dump|print|paste|mostr\w*|list\w*|export\w*|manda|"
    r"mande|envi\w*|baix\w*|me (da|de|passa|passe)|quero ver|want to see|let me see|read me)\b"
)
# "em número de menções", "by number of mentions": how a ranking is made, not a count asked for.
_RANKED_BY: Final = _rx(
    r"\b((em|by|por|pelo|pela|in|in terms of|em termos de) (numero|number|quantidade|count|volume|"
    r"total) (de|of) (mencoes|mentions|comentarios|comments)|(by|em|por|in) (mencoes|mentions)|"
    r"(by|por) (count|contagem|volume)|(counting|contando|somando|adding up) (the |as |os )?"
    r"(mentions|mencoes|comentarios|comments))\b"
)
# Subjects no digest is about, whatever else the question says.
_OFF_TOPIC: Final = _rx(
    r"(^(quem|who)\b|\b(clima(?! (nos|dos|entre|do|no|da|na|geral|dos) ?(comentarios|feedbacks?|"
    r"ouvintes|usuarios|app|pessoal|galera|geral)?)|weather|bitcoin|stock price|temperatura|piada|joke|poema|poem|"
    r"receita de bolo|recipe|futebol|football|soccer|jogo de|the game|capital d[aeo]s?|capital of|"
    r"presidente|president)\b)"
)
# A text to write or translate ("write a reply to...", "escreva um e-mail"): not a question about the
# comments, unless it asks for a summary or a list of them.
_TASK: Final = _rx(
    r"^\W*(please |por favor )?(write|escreva|escreve|draft|redija|rascunhe|translate|traduza|"
    r"traduz|compose|generate|gere|crie um|create an?)\b(?!.{0,60}\b(resumo|summary|resume|"
    r"overview|panorama|lista|list|report|relatorio|recap)\b)"
)
# Instructions ("como faço pra trocar a senha", "how do I reset my password"): a task to do, not a
# question about what listeners said.
_HOW_TO: Final = _rx(
    r"^\W*(como (eu )?(faco|faz|posso|consigo|devo|mudo|troco|configuro|ativo|desativo|instalo|"
    r"cancelo|baixo)|how (do|can|should) (i|we|you)|how to|where (do|can) i|onde (eu )?(encontro|"
    r"acho|vejo))\b(?!.{0,60}\b(comentarios|comments|digests?|ouvintes|listeners|usuarios|users|"
    r"pessoas|people|criticas|reclamacoes|complaints|sugestoes|suggestions|elogios|praise)\b)"
)
# One listener's data: the digests aggregate comments by week, category and tag, never by author.
_AUDIENCE: Final = (
    r"(usuari[oa]s?|users?|ouvintes?|listeners?|clientes?|customers?|pessoas?|people|"
    r"assinantes?|subscribers?|fas|fans?|membros?|members?)"
)
_ONE_LISTENER: Final = _rx(
    r"(@[a-z0-9_.]+|\b(usuari[oa]|user|ouvinte|listener|cliente|customer|conta|account|autor|author)"
    r"\s+(?:id\s+)?(#?\d+|(?!(?:feat|fix|perf|ui|doc|test|sec|api)_)[a-z]+_[a-z0-9_]+|"
    r"[a-z]+\d+[a-z0-9]*)\b|"
    rf"(\b(quais|qual|which)|(?<!o )\bque)\s+{_AUDIENCE}\s+(\w+\s+){{0,3}}(the\s+)?"
    r"(mais|menos|most|least|more)\b|"
    rf"\b(top\s+\d+|os\s+\d+|the\s+\d+)\s+(\w+\s+)?{_AUDIENCE}\b|"
    rf"\b{_AUDIENCE}\s+(que|who)\s+(\w+\s+){{0,3}}(the\s+)?(mais|most)\b|"
    r"\b(most|mais|least|menos) (active|ativos|engaged|engajados|frequent\w*|frequentes|vocal|"
    rf"loyal|fieis)\s+(\w+\s+)?{_AUDIENCE}\b|\b{_AUDIENCE}\s+(mais|menos) (ativos|engajados|"
    r"frequentes|fieis)\b|"
    r"\b(quais|which)\s+(usuari[oa]s?|users?|ouvintes?|listeners?|clientes?|customers?)\s+"
    r"(escrev\w*|wrote|postaram|posted|coment\w*|reclam\w*|complain\w*|elogi\w*|prais\w*)|"
    r"\b(comentarios|comments|posts?|mensagens|messages)\s+(do|da|de|of|from|by)\s+"
    r"(usuari[oa]|user|ouvinte|listener|cliente|customer)\b)"
)
# "quem reclamou?", "who are the users...": "who" opening the question or a clause, and later on
# its line the listeners or what they wrote. Matched in two steps (`_asks_who`): one pattern for
# both, "who" then anything then the word, tried again from every "who" to the line's end, was
# quadratic in the question.
_WHO: Final = _rx(r"(^|[,;:.?!]\s*)(quem|who)\b")
_WHO_WROTE: Final = _rx(
    r"\b((usuari[oa]s?|users?|ouvintes?|listeners?|clientes?|customers?)\b|(coment\w*|comment\w*|"
    r"reclam\w*|complain\w*|elogi\w*|prais\w*|escrev\w*|wrote|writes?|post\w*|sugeri\w*|"
    r"suggest\w*|pergunt\w*|asked|critic\w*|ped\w*|request\w*))"
)


def _later_on_line(first: re.Pattern[str], then: re.Pattern[str], text: str) -> bool:
    """Whether a match of `then` follows a match of `first` on the line where that one ends (as
    `first.*then` reads): the first of each line is enough, since any later one on it sees less
    of the line, so each line is read once."""
    start, checked = 0, -1
    while (opened := first.search(text, start)) is not None:
        line_end = text.find("\n", opened.end())
        line_end = len(text) if line_end < 0 else line_end
        if line_end != checked:
            if then.search(text, opened.end(), line_end):
                return True
            checked = line_end
        start = opened.end()
    return False


def _asks_who(text: str) -> bool:
    return _later_on_line(_WHO, _WHO_WROTE, text)


# "how did the launch go": a summary, or a general question. Matched apart from `_SUMMARY` and
# `_GENERAL` (`_later_on_line`), for the same reason as "quem".
_HOW_DID_OPENS: Final = _rx(r"\bhow did ")
_GO_CLOSES: Final = _rx(r" go\b")


def _how_did_go(text: str) -> bool:
    return _later_on_line(_HOW_DID_OPENS, _GO_CLOSES, text)


# A person's or a role's view: the digests hold listeners' comments only, never a named view.
_ROLE: Final = (
    r"(ceo|cto|cfo|coo|cmo|cpo|vp|diretor\w*|director|gerente|manager|pm|lead|head of \w+|chefe|"
    r"boss|presidente|president|fundador\w*|founders?|dono|owner|socio\w*|vocalista|guitarrista|"
    r"baterista|baixista|produtor\w*|producer|marketing|vendas|sales|investidor\w*|investors?|"
    r"drummer|guitarist|singer|vocalist|bassist|keyboardist|tecladista|cantor\w*|band members?|"
    r"label|gravadora|empresari[oa]|agent|suporte|support( team)?|designers?|developers?|devs?|"
    r"engineers?|engenheir\w*|analistas?|analysts?|"
    r"board|conselho|diretoria|time de produto|equipe de \w+|product team|team)"
)
_OPINION: Final = (
    r"(acha|acham|achou|acharam|pensa|pensou|pensam|opina\w*|opini(ao|oes|on|ons)|"
    r"thinks?|thought|feels?|felt|views?|visao|take|avalia|avaliou|disse|said|says|diz)"
)
_ARTICLE: Final = r"(the\s+|our\s+|nosso\s+|nossa\s+|nossos\s+|nossas\s+)?([a-z]+('s)?\s+)?"
# The role is the one whose view is asked ("o que o CEO acha", "what does the marketing lead
# think", "a opinião do vocalista"), not a subject listeners comment on.
# "o que o CEO ... acha": the role asked about, then its verb later on the line. Read in two steps
# (`_role_view`): one pattern, the role then anything then the verb, was tried again from every
# "o que o CEO" to the line's end, quadratic in the question.
_ROLE_ASKED: Final = _rx(
    rf"\b(o que|que|what|how|como)\s+(o|a|os|as|does|did|do|is|are|was)\s+{_ARTICLE}{_ROLE}\b"
)
_ROLE_VERB: Final = _rx(
    rf"\b({_OPINION}|say|fala|falou|falaram|comentou|comenta|see|sees|saw|ve|viu|enxerga|"
    r"rate|rates|rated)\b"
)
_ROLE_VIEW: Final = _rx(
    rf"\b(opini(ao|on|oes|ons)|visao|ponto de vista|view|take)\s+(do|da|de|dos|das|of)\s+"
    rf"{_ARTICLE}{_ROLE}\b|"
    rf"\b{_ROLE}('s)?\s+(opinion|view|take|acha|achou|pensa|pensou|thinks|thought|disse|said|"
    r"says|feels|felt)\b|"
    rf"\b(did|does|do|will|would|o|a)\s+(the\s+|our\s+|nosso\s+|nossa\s+)?([a-z]+('s)?\s+)?"
    rf"({_ROLE})\s+(like[sd]?|love[sd]?|hate[sd]?|"
    r"enjoy\w*|approve\w*|gost\w*|curt\w*|aprov\w*|odi\w*|want\w*|quer\w*)\b"
)
_NOT_A_PERSON: Final = (
    r"(usuari[oa]s?|users?|ouvintes?|listeners?|clientes?|customers?|pessoas|people|galera|"
    r"publico|audience|fas|fans|comentarios|comments|digests?|dados|data|relatorio|report|"
    r"eles|elas|they|voce|you|we|i|eu|gente|todos|everyone|everybody|app|aplicativo|pessoal|povo|"
    r"mundo|folks|most|many|some|muitos|alguns|todo|each|every|maioria|majority|comunidade|"
    r"community|base|critica|criticas|criticism|elogio|praise|sugestao|duvida|spam|semana|week|"
    r"categoria|category|tag|tendencia|trend|tabela|chart|grafico|numero|number|top|main|"
    r"principais|complaints|reclamacoes|suggestions|sugestoes|questions|duvidas|elogios|tags|"
    r"reviews|results|resultados|graph|dashboard|painel)"
)
_PERSON_VIEW: Final = _rx(
    rf"\b(o que|que|what)\s+(o|a|does|did|do)\s+(the\s+|our\s+|nosso\s+|nossa\s+)?"
    rf"(?!{_NOT_A_PERSON}\b)[a-z]+(\s+(?!{_NOT_A_PERSON}\b)[a-z]+){{0,2}}\s+({_OPINION}|escreveu|"
    r"escreve|wrote|write|writes|postou|posted|post|comentou|commented|comment|falou)\b|"
    rf"\bopini(ao|on)\s+(do|da|de|of)\s+(the\s+|our\s+)?(?!{_NOT_A_PERSON}\b)[a-z]+|"
    r"\b[a-z]+'s\s+(opinion|view|take)\b"
)
# "os comentários da Maria": a capitalised name after words that attribute comments to someone.
_BY_NAME: Final = (
    r"\b(comentarios|comments|posts?|mensagens|messages|reviews?|feedbacks?|reclamac\w*|"
    r"complaints?|sugest\w*|suggestions?|critica\w*|opini\w*|visao|view)\s+(do|da|de|of|from|by)\s+"
    r"(o\s+|a\s+)?{name}\b"
)
# Which song or album listeners rank best: no digest ranks the music itself.
_SONG_RANKING: Final = _rx(
    r"\b((best|worst|favou?rite|most loved|melhor|pior|favorit\w*|preferid\w*|mais amad\w*) "
    r"(songs?|tracks?|albums?|musicas?|faixas?|discos?|albuns|artists?|artistas?|singles?)|"
    r"(musicas?|faixas?|discos?|albuns|artistas?) (favorit\w*|preferid\w*|mais amad\w*)|"
    # "which album did people love the most?": a ranking of the music, whatever the verb.
    r"(which|qual|que|quais) (songs?|tracks?|albums?|artists?|musicas?|faixas?|discos?|albuns|"
    r"artistas?|singles?|remix(es)?) (\w+ ){0,4}(lov\w*|lik\w*|prefer\w*|ador\w*|gost\w*|amar\w*|"
    r"amam|amou|curt\w*|enjoy\w*))\b"
)
_MUSIC_ENTITIES: Final = _rx(
    r"\b(artistas?|artists?|cantor\w*|singers?|bandas?|bands?|musica mais|song (with|that) the most|"
    r"most (played|streamed|popular) (song|track|artist|album)|faixa mais|qual musica|which song|"
    r"which track|which artist|qual artista|que artista|genero musical|music genre|genres?|"
    # "which album got the most praise": no digest ranks albums, songs or records.
    r"(which|what|qual|que|quais) (albums?|albuns|discos?|records?|eps?|singles?|faixas?|tracks?|"
    r"songs?|musicas?))\b"
)
_FUTURE: Final = _rx(
    r"\b(previs\w*|predi\w*|forecast\w*|projec\w*|projet\w*|expect\w*|esperamos|vai (subir|cair|"
    r"crescer|aumentar|diminuir|continuar|ter|ser|melhorar|piorar|acontecer|mudar)|vao (subir|cair|"
    r"crescer|aumentar|diminuir|continuar|ter|ser|melhorar|piorar)|will(?! you)|won t|wont|"
    r"ira|irao|vai continuar|vao continuar|continuarao|continuara|"
    # "vai acabar", "vão sumir": ir + an infinitive is a prediction, whatever the verb.
    r"(vai|vao|ira|irao) (?!(bem|mal|la|ca|ai|embora)\b)[a-z]+(ar|er|ir)|"
    r"going to|gonna|likely to|chance de|probabilidade de|future|futuro|next (week|month|quarter|"
    r"year)|proxim[ao]s? (semana|mes|trimestre|ano)|semana que vem|mes que vem|amanha|tomorrow)\b"
)
# Other music services and stores: the digests hold this product's listeners' comments only, so a
# question about another service's prices or reviews is not about them, whatever tag it names.
_OTHER_SERVICES: Final = _rx(
    r"\b(spotify|deezer|tidal|soundcloud|sound cloud|apple music|itunes|youtube( music)?|"
    r"yt music|amazon music|pandora|napster|qobuz|audiomack|bandcamp|anghami|boomplay|resso|"
    r"last\.?fm|shazam|tiktok|tik tok|instagram|facebook|twitter|netflix|twitch|"
    r"(the |o |a |os |as )?(competitor|concorrente|rival)(s|es)?('s)?( app)?|competition|"
    r"concorrencia|other (apps|services|platforms|streaming \w+)|outr[oa]s (apps|aplicativos|"
    r"servicos|plataformas|streamings?))\b"
)
# Contact and identity details of whoever wrote: never in a digest, and never to be handed out.
_PERSONAL_DATA: Final = _rx(
    r"\b(e-?mails? (de quem|of whoever|from whoever|(of|from) (the )?(person|people|user|users|"
    r"listener|listeners|guy|one|ones) (who|that))|e-?mails? (do|da|dos|das|of|from)\s+(quem|who\w*|the (user|person|guy|people|"
    r"listener|customer)s?|usuari[oa]s?|ouvintes?|pessoas?|clientes?|cara|moca|fas|fans)|"
    r"(their|seus|suas|dele|dela|deles|delas) e-?mails?|me (passa|manda|da) o e-?mail|"
    r"(give me|send me|get me|list) (the |their )?e-?mails?|"
    r"endereco\w*|(e-?mail|home|postal|ip) address\w*|address(es)? of|"
    r"phone numbers?|(numero de |numeros de )(telefone|celular|whatsapp)|"
    r"(telefones?|celular|whatsapp) (de quem|dos usuarios|das pessoas|dos ouvintes|d[oa] (cara|moca|"
    r"usuari[oa]|ouvinte|cliente|pessoa))|cpf|"
    r"contact (details|info\w*)|dados de contato|contatos? (d[oae]s? )?"
    r"(usuari|ouvinte|cliente|pessoa|quem)\w*|personal (details|info\w*)|"
    r"(nomes?|names?|identidade|identity|perfis|profiles?|handles?|usernames?|logins?) "
    r"(de quem|d[oa]s? (usuari[oa]s?|ouvintes?|pessoas?|clientes?|fas?|autor\w*|cara|moca)|"
    r"of (the |that |this |those )?(users?|people|listeners?|person|guy|girl|customers?|fans?|"
    r"authors?|commenters?)|of who(m)?|of whoever)|"
    r"(user|listener|customer|fan|author|commenter|person)'?s (real )?(names?|identity)|"
    r"como se chamam? (o |a |os |as |aquele |aquela )?(ouvintes?|usuari[oa]s?|fas?|clientes?|"
    r"pessoas?|cara|moca))\b"
)
# A personal detail asked about whoever wrote something: "o telefone do fã que pediu X", "where
# does the person who complained about Y live". Either cue alone is an ordinary question.
_PERSONAL_DETAIL: Final = _rx(
    r"\b(telefones?|phones?|celular|whatsapp|e-?mails?|enderecos?|address\w*|onde (ele |ela )?mora\w*|"
    r"where (do|does|did) .{0,60}\blive|lives? where|cidade|city|idade|age|how old|nomes?|names?|"
    r"handles?|usernames?|perfil|profile|contatos?|contact|localizac\w*|location|instagram|cpf)\b"
)
_ONE_WRITER: Final = _rx(
    r"\b((o|a|do|da|the|that|this|esse|essa|aquele|aquela) (fa|fan|pessoa|person|usuari[oa]|user|"
    r"ouvinte|listener|cara|guy|moca|girl|cliente|customer|one|autor|author|sujeito)|quem|whoever|"
    r"who)\s+(que\s+|who\s+|that\s+)?(\w+\s+){0,2}?(pediu|pedia|reclam\w*|complain\w*|escreveu|"
    r"wrote|coment\w*|postou|posted|sugeriu|suggested|asked|request\w*|elogi\w*|prais\w*|"
    r"critic\w*|mentioned|mencionou|falou|said|disse)\b"
)
_TAG_LITERAL: Final = _rx(r"\b(feat|fix|perf|ui|doc|test|sec|api)_[a-z]+\b")
# Phrases whose words the taxonomy would read as a tag ("volume de comentários" is not fix_volume).
_NOT_TAGS: Final = _rx(
    r"\b(volume (de|of) (comentarios|comments|feedbacks?|criticas|elogios|sugestoes|duvidas)|"
    r"comment volume|(qual|what)( e| is)? o? ?volume|volume total|total volume|show me|"
    # "the biggest drop in volume", "a maior queda no volume": the number of comments, unless the
    # audio's volume is named as a complaint ("a rise in volume complaints").
    r"(drop|fall|decline|dip|rise|jump|increase|decrease|change|swing|queda|alta|aumento|subida|"
    r"variacao|mudanca|salto) (in|of|no|do|de) (the |o )?volume(?! (issues?|complaints?|problems?|"
    r"bugs?|levels?|control|button|slider|de (audio|som)|do (audio|som)|reclamac\w*|queixas?))|"
    r"(o |the )?volume (caiu|subiu|cresceu|aumentou|diminuiu|went|go|goes|rose|fell|dropped|grew|"
    r"increased|decreased|mudou|changed)|(comment|overall|total|weekly) volume|"
    # "a crítica que mais apareceu em volume", "ranked by volume": a measure, not the audio's.
    r"(em|by|por|in terms of) volume(?! (desigual|uneven|issues?|complaints?|problems?|bugs?|"
    r"levels?|control|button|slider|de (audio|som)|do (audio|som)|reclamac\w*|queixas?))|"
    r"me mostr\w*|(?<!year in )review\w*|revis\w*|what(?: ?'?s| is) new|o que ha de novo|"
    r"alguma novidade|novidades|show(s|ed|ing)? up|turn(s|ed)? up)\b"
)


# Subject names that are everyday words in a question ("me conta", "quais dados", "qual tema").
_AMBIGUOUS_SUBJECTS: Final = frozenset(
    """
    conta dados tema social perfil ajuda novidades historico show capa cover fila carro velocidade
    beta idioma busca
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# Question words the taxonomy would read as a tag: meta uses of "histórico", "temas", "dados"...
_META_WORDS: Final = _rx(
    r"\b(historico|history|temas?(?!\s+(escuro|claro|visual|do app))|topics?|novidades|news|ajuda|help|"
    # "quais dados", "what data": a meta word, unless it is a subject's ("consumo de dados",
    # "mobile data", "data usage").
    r"(?<!consumo de )(?<!economia de )(?<!economizar )(?<!uso de )dados(?! moveis)|"
    r"(?<!mobile )(?<!cellular )(?<!my )data(?! usage| saver| saving| plan)|"
    r"what changed|o que mudou|participac\w*|participat\w*|share|percent\w*|porcent\w*)\b"
)
_WHEN: Final = _rx(
    r"\b(quando|when|em que semanas?|em quais semanas|which weeks?|what weeks?|in which weeks?|"
    r"(qual|que) (foi a |e a )?semana|em qual semana)\b"
)
# "the biggest weekly drop in praise", "a maior queda semanal": the week of the largest move.
_BIGGEST_MOVE: Final = _rx(
    r"\b(biggest|largest|sharpest|steepest|strongest|worst|best|maior|pior|melhor)\s+"
    r"(weekly |semanal |single[- ]week )?(drop|fall|decline|rise|jump|increase|decrease|gain|"
    r"queda|alta|aumento|salto|subida|crescimento|reducao|variacao|week|semana)\b"
)
_SIGNIFICANT: Final = _words(r"\b(significativ\w*|significant\w*|estatistic\w*|statistic\w*)\b")
_MOST: Final = _words(
    r"\b(mais|most|maior|highest|biggest|largest|pico|peak|record|longest|mais duradour\w*|"
    r"sharpest|steepest|strongest)\b"
)
_LEAST: Final = _words(
    r"\b(menos|least|menor|lowest|fewest|smallest|(hit|hits|reached|reach|at) (its|their|a|an|the|"
    r"new|all[- ]time) (low|bottom|minimum)|all[- ]time low)\b"
)
# "when was the jump in suggestions?": one move asked about, the largest of its direction.
_THE_MOVE: Final = _rx(
    r"\b(the|a|o|that|aquel[ea]|essa|esse) (big |sharp |grande )?(jump|surge|leap|dip|drop|fall|"
    r"plunge|salto|pulo|queda|subida|tombo)\b"
)


_TOP: Final = _rx(
    r"\b(?:top|(?:as|os|the)?)\s*(\d|tres|three|cinco|five|quatro|four|dois|duas|two)\s*"
    r"(?:principais|maiores|main|biggest|mais|most|top|reclamac\w*|critic\w*|complaints?|sugest\w*|"
    r"suggestions?|pedidos|requests?|tags?|problemas?|problems?|issues?)\b"
)


def _top(text: str) -> int:
    match = _TOP.search(text)
    if not match:
        return 0
    token = match[1]
    count = int(token) if token.isdigit() else NUMBER_WORDS[token]
    return count if 1 <= count <= 5 else 0


# A capitalised word inside a question that no vocabulary of the product knows is a name: an
# artist, a song, a person. The digests hold no figure about any of them.
_KNOWN_NAMES: Final = frozenset(
    """
    alumusic semana semanas week weeks w digest digests elogio critica sugestao duvida spam
    praise criticism suggestions questions categoria categorias category brasil brazil android
    ios iphone app pt en ok tag tags janeiro fevereiro marco abril maio junho julho agosto
    setembro outubro novembro dezembro january february march april may june july august
    september october november december segunda monday sunday domingo sabado saturday
    what which how when who whom where why did does do is are was were the and or in of on for
    qual quais quando como onde quanto quantos quantas o a os as de do da e em no na
    natal christmas xmas ano novo new year years reveillon eve easter pascoa carnaval carnival
    valentine valentines namorados
    """.split()  # noqa: SIM905 - a word list reads best as text
) | frozenset(MONTHS)
# A named person's view: "Did Pedro like the new layout?", "a Ana gostou do modo carro?".
_NAME_VIEW: Final = (
    r"\b{name}('s)?\s+(\w+\s+){{0,2}}(like[sd]?|love[sd]?|hate[sd]?|enjoy(s|ed)?|think|thinks|"
    r"thought|feel|feels|felt|say|says|said|wrote|writes|write|gost(ou|a|aria)|curt(iu|e)|"
    r"ach(ou|a)|odi(ou|a)|amou|ama|pens(ou|a)|disse|diz|escreveu|escreve|reclam\w*|complain\w*|"
    r"pediu|pede|ask(s|ed)?|request\w*|suggest\w*|sugeriu|mention\w*|mencionou|coment(ou|a)|"
    r"comment(s|ed)?|post(s|ed)?|postou|opinion|opiniao|view|take)\b"
)
_NAME: Final = re.compile(r"(?<![.!?:]\s)(?<!^)\b([A-ZÀ-Ý][a-zà-ÿ]{2,})\b")


# The same patterns with any word for the name, read once for every name of a question: a search
# of the whole question per name was quadratic in a question of many names. A name that folds to
# fewer than three letters ("Æøa") is looked for alone, as before (the "a" or "o" before a name
# could be it).
_BY_ANY_NAME: Final = _rx(_BY_NAME.format(name=r"(?P<name>[a-z]+)"))
_ANY_NAME_VIEW: Final = _rx(_NAME_VIEW.format(name=r"(?P<name>[a-z]+)"))
_OWNER: Final = _rx(r"\b([a-z]+)(?='s| app\b)")
_WORD_START: Final = _rx(r"\b[a-z]+")


def _named_view(names: Sequence[str], text: str) -> bool:
    """Whether `text` asks for the comments (`_BY_NAME`) or the view (`_NAME_VIEW`) of one of
    `names`."""
    folded = {fold(name) for name in names}
    if any(
        re.search(pattern.format(name=re.escape(name)), text)
        for name in folded
        if len(name) < 3
        for pattern in (_BY_NAME, _NAME_VIEW)
    ):
        return True
    start = 0
    # Each match is tried again from its next character: the name it took may open another one.
    while (found := _BY_ANY_NAME.search(text, start)) is not None:
        if found["name"] in folded:
            return True
        start = found.start() + 1
    return any(
        (view := _ANY_NAME_VIEW.match(text, word.start())) is not None and view["name"] == word[0]
        for word in _WORD_START.finditer(text)
        if word[0] in folded
    )


def _owned(names: Sequence[str], text: str) -> list[str]:
    """Those of `names` that own something in `text` ("Tidal's prices", "the Acme app")."""
    owners = {found[1] for found in _OWNER.finditer(text)}
    return [
        name
        for name in names
        if (
            fold(name) in owners
            if len(fold(name)) >= 3
            else re.search(rf"\b{re.escape(fold(name))}('s| app\b)", text)
        )
    ]


def _role_view(text: str) -> bool:
    """Whether `text` asks for a role's view (`_ROLE_VIEW`, or `_ROLE_ASKED` with a `_ROLE_VERB`
    after it on the line where it ends)."""
    if _ROLE_VIEW.search(text):
        return True
    line_ends = [at for at, char in enumerate(text) if char == "\n"]
    # The start of the last verb of each line: a role asked before it has its verb after it.
    last_verb: dict[int, int] = {}
    for verb in _ROLE_VERB.finditer(text):
        last_verb[bisect_left(line_ends, verb.start())] = verb.start()
    if not last_verb:
        return False
    start = 0
    while (asked := _ROLE_ASKED.search(text, start)) is not None:
        line = bisect_left(line_ends, asked.end())
        # The role asked may end earlier than the longest reading the pattern gives ("the
        # marketing lead" or "the marketing"): any reading that ends before the verb counts.
        shorter = (
            _ROLE_ASKED.match(text, asked.start(), last_verb[line]) if line in last_verb else None
        )
        if shorter is not None and bisect_left(line_ends, shorter.end()) == line:
            return True
        start = asked.start() + 1
    return False


def _names(question: str) -> list[str]:
    words = question.split()
    capitalised = [w for w in words if w[:1].isupper()]
    if len(capitalised) * 2 > len(words):
        return []  # Title Case Or SHOUTING: capitals say nothing about names
    found = []
    for match in _NAME.finditer(question.strip()):
        word = fold(match[1])
        if match.start() == 0 or word in _KNOWN_NAMES or word in STOP_WORDS:
            continue
        if any(rx.search(word) for rx in _PRODUCT_WORDS) or _tags_in(word):
            continue
        found.append(match[1])
    return found


# A week called busy or quiet is a week ranked by its number of comments.
_BUSY: Final = _words(
    r"\b(busiest|heaviest|most active|(mais|bem) (movimentad\w*|agitad\w*|cheia|forte)|"
    r"movimentad\w*|agitad\w*)\b"
)
_QUIET: Final = _words(
    r"\b(quietest|calmest|slowest|lightest|weakest|least active|(mais|bem) (calm\w*|tranquil\w*|"
    r"fraca|parad\w*|vazia)|calmest|tranquil\w*)\b"
)
_WEEK_WORD: Final = _rx(r"\b(semanas?|weeks?)\b")


def _superlative(text: str) -> str:
    if _WEEK_WORD.search(text) and not _COMPARE.search(text):
        if _QUIET.search(text):
            return "min"
        if _BUSY.search(text):
            return "max"
    if not _WHEN.search(text) and not re.search(
        r"\b(qual|que|which|what) (foi |was |were |is )?(a |the |our |nossa )?(\w+ )?(semana|week)\b|"
        r"\b(qual|que|which|what) (foi |was |were |is )?(a |the |our |nossa )(most|least|mais|menos) "
        r"\w+ (semana|week)\b|"
        # "a semana com menos sugestões", "the week with the most praise"
        r"(\b(a|the) |^)(semana|week) (com|with|que teve|that had|where|em que|in which)\b",
        text,
    ):
        return ""
    if _LEAST.search(text):
        return "min"
    return "max" if _MOST.search(text) else ""


# "mais comentários na semana 45 ou na 46?": two named weeks, side by side.
_EITHER_WEEK: Final = _rx(
    r"(\b(semana|week)\b[^0-9]{0,40}?|\b(na|no|in)\s+)\b\d{1,2}\s+(ou|or|vs|versus|x)\s+"
    r"(na |no |in |a |the )?\d{1,2}\b" + NOT_WEEK_NUMBER + "|"
    r"\b(semanas?|weeks?|w)\s*\d{1,2}\b.{0,40}?\b(ou|or|vs|versus|x|que|than)\s+"
    r"(na |no |a |the |in |da )?(semana |week |w)?\d{1,2}\b" + NOT_WEEK_NUMBER
)
_TAG_WORDS: Final = _words(
    r"\b(tags?|assuntos?|temas?|topics?|subjects?|funcionalidades?|features?|recursos?)\b"
)
# "what was mentioned the most?", "o que foi mais comentado?": the subjects listeners named most.
_MOST_MENTIONED: Final = _rx(
    r"\b((mais|most|menos|least) (mencionad\w*|citad\w*|comentad\w*|falad\w*|discutid\w*|"
    r"mentioned|talked about|discussed|cited|brought up)|(mentioned|talked about|discussed|"
    r"brought up|cited) (the )?(most|least)|(the )?(most|mais|menos|fewest) (mentions|mencoes))\b"
)
# Words of periods (`periods` reads them): listed so that a capitalised one is not taken for a name.
_PERIOD_WORDS: Final = _words(
    r"\b(semanas?|weeks?|mes|month|ultim\w*|last|past|passad\w*|anterior|previous|"
    r"recent\w*|atual|current|desde|since|entre|between|total|geral|overall)\b"
)


@dataclass(frozen=True, slots=True)
class Understanding:
    intent: Intent | None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    up: bool = False
    down: bool = False
    when: bool = False
    significant: bool = False
    trend: bool = False
    top: int = 0  # "top 5 complaints": how many items to list
    superlative: str = ""  # "max" or "min": "which week had the most ..."
    by_count: bool = False  # the number of comments asked about, not the share
    peak: bool = False  # "when did X peak / spike"
    start: bool = False  # "when did X start"
    general: bool = False  # a question about everything: the latest digests summarised
    either: bool = False  # two named weeks compared ("semana 45 ou 46?")
    most: bool = False  # "the most ...", "mais ..."
    single: bool = False  # "the biggest in a single week": one week's count, not a sum
    apart: bool = False  # share and count moving in opposite directions
    share_up: bool = False  # ... the share up and the count down ("a fatia subiu, o número caiu")
    share_down: bool = False  # ... the share down and the count up
    least: bool = False  # "the least ...", "menos ..."
    news: bool = False  # "any news", "the headline": the newest digest, even "lately"
    refusal: Refusal | None = None
    unknown_tag: str = ""
    # What a "metric" refusal says the digests do not keep (PT, EN), when one class names it.
    not_held: tuple[str, ...] = ()


def detect_tags(question: str) -> tuple[str, ...]:
    """Tags the question names: literally (`fix_volume`) or through the taxonomy's expressions.

    A tag named by its full name ("letra sincronizada") is not also read as the broader tag its
    words contain ("letra"): the other tags are looked for in what the full names leave."""
    folded = fold(question)
    found = _tags_in(folded)
    if len(found) < 2:
        return tuple(sorted(found))
    names = {tag: [fold(tag_name(tag, language)) for language in ("pt", "en")] for tag in found}
    named = {
        tag for tag in found if any(re.search(rf"\b{re.escape(n)}\b", folded) for n in names[tag])
    }
    if not named:
        return tuple(sorted(found))
    rest = folded
    for tag in named:
        for name in sorted(names[tag], key=len, reverse=True):
            rest = re.sub(rf"\b{re.escape(name)}\b", " ", rest)
    return tuple(sorted(named | (_tags_in(rest) & found)))


# How questions name a few subjects whose words the taxonomy leaves out as too common ("carro"):
# read in a question, never in a comment.
_QUESTION_ALIASES: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (
        _rx(
            r"\b((app|aplicativo|versao|modo) (do|no|pro|para o|de) carro|no carro|car (app|mode)|"
            r"in the car|while driving|dirigindo)\b"
        ),
        "feat_carro",
    ),
    (
        _rx(
            r"\b((removed|missing|deleted|unavailable|greyed out|pulled) (albums?|songs?|tracks?|"
            r"music)|(albuns|musicas|faixas|discos) (removid[oa]s|sumid[oa]s|apagad[oa]s|"
            r"indisponiveis)|(albums?|songs?|tracks?) (removed|missing|pulled|taken down|gone))\b"
        ),
        "feat_catalogo",
    ),
    (
        # "the account takeovers", "invasão das contas", "the hacks": how people name the
        # taxonomy's hacked accounts when they ask about them.
        _rx(
            r"\b((accounts?|contas?) (takeovers?|hijack\w*|compromised|comprometid\w*|"
            r"sequestrad\w*)|(account )?takeovers?|hijack\w*|invas(ao|oes) (de|da|das) contas?|"
            r"hacks|hacking|contas? hackead\w*)\b"
        ),
        "sec_conta",
    ),
    (
        # "pedindo o quê sobre histórico?": the listening history, not the history of a figure.
        _rx(r"\b(sobre|about)( o| the)? (historico|history)\b(?! (d[aoe]s?|of) )"),
        "feat_historico",
    ),
)


def _singular(folded: str) -> str:
    """Each plural word of `folded` in the singular, roughly ("contas invadidas" -> "conta
    invadida", "notificacoes" -> "notificacao"): the taxonomy writes most expressions singular."""

    def one(match: re.Match[str]) -> str:
        word = match[0]
        if word.endswith("oes"):
            return word[:-3] + "ao"
        if word.endswith("ais"):
            return word[:-3] + "al"
        if word.endswith(("ss", "us", "is")):
            return word
        return word[:-1]

    return re.sub(r"\b[a-z]{4,}s\b", one, folded)


@cache
def _name_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each tag's vocabulary name of several words ("segurança da conta", "account security"),
    its words in the singular or plural: how people name a subject the taxonomy's expressions,
    written from comments, may not hold."""

    def word_pattern(word: str) -> str:
        if word in {"da", "de", "do", "das", "dos", "of", "the", "e", "and"}:
            return r"(d[aeo]s?|of|the|e|and)"
        stem = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        return re.escape(stem) + r"(s|es)?"

    patterns = []
    for tag in sorted(default_taxonomy().tags):
        for language in ("pt", "en"):
            words = fold(tag_name(tag, language)).split()
            if len(words) >= 2:
                body = r"\s+".join(word_pattern(w) for w in words)
                patterns.append((re.compile(rf"\b{body}\b"), tag))
    return tuple(patterns)


# Words too common to name a subject alone, even as the first word of its name ("uso no carro",
# "problemas de login", "new releases").
_GENERIC_HEADS: Final = frozenset(
    """
    app uso modo versoes versao conteudo recursos produtos problemas falhas consumo notas song songs
    track new official year play slow visual content live kids music musica musicas dado dados data
    demora falha recurso produto nota novidade novidades reproducao conexao listening playback
    release uneven voice sleep
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# A request or a complaint about a word: "pedidos de show", "pedindo show", "reclamação de
# transmissão", "complaints about help"; and the English noun before it ("help complaints").
_GOVERNED: Final = _rx(
    r"\b(?:pedi\w*|pede\w*|reclam\w*|queix\w*|critica\w*|criticou|criticaram|sugest\w*|complain\w*|"
    r"requests?|requesting|asking for|asked for|ask for)\s+(?:(?:de|do|da|dos|das|sobre|about|for|"
    r"of|pra|por|on|o|a|os|as|the|mais|more|muit[oa]s?|many|lots|of)\s+){0,2}([a-z]+)"
)
_GOVERNING_NOUN: Final = _rx(r"\b([a-z]+)\s+(?:complaints?|requests?)\b")


@cache
def _head_words() -> dict[str, str]:
    """The subject word and the first word of each tag's vocabulary name, for the words that name
    one tag only: how people name a subject in passing ("transmissão", "show", "help")."""
    taxonomy = default_taxonomy()
    owners: dict[str, set[str]] = {}
    for spec in taxonomy.specs:
        words = {spec.subject}
        for language in ("pt", "en"):
            words.add(fold(tag_name(spec.tag, language)).split()[0])
        for word in words:
            owners.setdefault(word, set()).add(spec.tag)
            owners.setdefault(_singular(word), set()).add(spec.tag)
    return {
        word: next(iter(tags))
        for word, tags in owners.items()
        if len(tags) == 1 and len(word) > 3 and word not in _GENERIC_HEADS
    }


def _governed_tags(folded: str) -> set[str]:
    heads = _head_words()
    words = [m[1] for m in _GOVERNED.finditer(folded)] + [
        m[1] for m in _GOVERNING_NOUN.finditer(folded)
    ]
    return {heads[w] for w in words if w in heads} | {
        heads[_singular(w)] for w in words if _singular(w) in heads
    }


def _tags_in(folded: str) -> set[str]:
    taxonomy = default_taxonomy()
    found = {m[0] for m in _TAG_LITERAL.finditer(folded) if m[0] in taxonomy.tags}
    cleaned = _META_WORDS.sub(" ", _NOT_TAGS.sub(" ", folded))
    found.update(taxonomy.extract([cleaned])[0])
    found.update(taxonomy.extract([_singular(cleaned)])[0])
    # A tag's full name is its own even when one of its words is a meta word ("help and support").
    unmeta = _NOT_TAGS.sub(" ", folded)
    found.update(tag for pattern, tag in _name_patterns() if pattern.search(unmeta))
    found.update(_governed_tags(unmeta))
    subjects = {spec.subject: spec.tag for spec in taxonomy.specs}
    for word in re.findall(r"[a-z]+", cleaned):
        if word in subjects and len(word) > 3 and word not in _AMBIGUOUS_SUBJECTS:
            found.add(subjects[word])
    found.update(
        tag
        for pattern, tag in _QUESTION_ALIASES
        if tag in taxonomy.tags and (pattern.search(cleaned) or pattern.search(folded))
    )
    return found


_COURSE_OF: Final = _rx(
    r"\b(trends?|tendencias?|evolucao|evolution|course|trajetoria|trajectory|historico|history) "
    r"(for|of|in|on|da|das|de|do|dos)\b"
)
# What is newest ("any news lately?", "the headline only"): the latest digest, not a month.
_NEWS: Final = _rx(
    r"\b(news|novidades?|headlines?|manchetes?|the latest|o mais recente|ultimas noticias|"
    r"noticias?)\b"
)
# The number of comments a week received, asked in so many words.
_COMMENT_COUNT: Final = _rx(
    r"\b((quant[oa]s|how many|numero de|number of|total de) (comentarios|comments|feedbacks?)|"
    r"total (de comentarios|comments)|comment volume|volume de comentarios)\b"
)
# The one largest criticism or suggestion ("a maior reclamação", "the top request").
_TOP_ITEM: Final = _rx(
    r"\b((maior|principal|top|main|biggest|largest) (\w+ )?(reclamac\w*|critica|queixa|complaint|"
    r"criticism|sugestao|suggestion|pedido|request)|(reclamacao|critica|complaint|sugestao|"
    r"suggestion|pedido|request) (mais|most) (comum|frequente|common|frequent|citad\w*|"
    r"mencionad\w*|mentioned))\b"
)
# A closing tag that turns a statement into a yes/no question ("are complaints going down or
# what?", "as críticas caíram, né?"): it asks for no list, whatever its "what" says.
_CLOSING_TAG: Final = _rx(
    r"((?<![\s,])[\s,]+(or what|or not|ou o que|ou nao|ou nem)|,\s*(right|ne|nao e|certo|correct|isnt it|"
    r"arent they|no|yes or no|sim ou nao))\W*$"
)


# "the worst week", "a melhor semana": the week with the most criticism or praise, by share.
_WORST_WEEK: Final = _rx(r"\b(worst|pior) (week|semana)\b")
_BEST_WEEK: Final = _rx(r"\b(best|melhor) (week|semana)\b")


# A move or a figure asked of "it" and nothing else ("melhorou?", "is it better or worse?",
# "quanto foi?", "what about the other thing?"): no subject and no period to answer about. A
# general question ("como estão as coisas?") names the whole of the comments and stays a summary.
_UNCLEAR: Final = _rx(
    r"^\W*((e ?ai|ei|oi|hey|hi|so|entao|ok|okay|well|and|e|tipo|mas|but)\W+)*("
    r"(e )?(ai )?(melhorou|piorou|mudou|subiu|caiu|aumentou|diminuiu)( ou (piorou|melhorou|nao))?|"
    r"(ta|esta|ficou) (melhor|pior)( ou (melhor|pior))?|(melhor|pior) ou (melhor|pior)|"
    r"(is|was) (it|that|this) (better|worse|up|down)( or (better|worse|up|down|not))?|"
    r"(better|worse) or (better|worse)|did (it|that|this) (improve|get better|get worse|go up|"
    r"go down|change)|"
    r"quanto (foi|deu|ficou|era)( isso)?|quantos (foram|deram)|how (much|many) (was|were) (it|that|"
    r"they|those)|"
    r"(e|and|what about|how about|e quanto a|e sobre) (a outra coisa|o outro|a outra|aquilo|"
    r"the other (thing|one)|that other thing|that one|isso|that|it))\W*$"
)


# A week named by what happened in it: "the casting week", "a semana do chromecast".
_EVENT_WEEK: Final = _rx(r"\b(?:the|that)\s+([a-z]+)\s+week\b|\bsemana\s+d[ao]\s+([a-z]+)\b")


def understand(question: str) -> Understanding:
    text = _CLOSING_TAG.sub("?", fold(question))
    text = _WORST_WEEK.sub(
        lambda m: "most negative week" if m[2] == "week" else "semana mais negativa", text
    )
    text = _BEST_WEEK.sub(
        lambda m: "most positive week" if m[2] == "week" else "semana mais positiva", text
    )
    taxonomy = default_taxonomy()
    literal = [m[0] for m in _TAG_LITERAL.finditer(text)]
    unknown = [tag for tag in literal if tag not in taxonomy.tags and TAG_PATTERN.match(tag)]
    if unknown:
        return Understanding(None, refusal="unknown_tag", unknown_tag=unknown[0])
    tags = detect_tags(question)
    categories = tuple(c for c, rx in CATEGORY_PATTERNS.items() if rx.search(text))
    if categories and tags:
        # "did criticism keep falling after the casting week?": a week named by what happened
        # in it is a time, and the category is the subject.
        named_weeks = {t for m in _EVENT_WEEK.finditer(text) for t in detect_tags(m[1] or m[2])}
        still_named = set(detect_tags(_EVENT_WEEK.sub(" ", text))) if named_weeks else set()
        tags = tuple(t for t in tags if t not in named_weeks or t in still_named)
    if not tags and not categories and _UNCLEAR.search(text):
        return Understanding(None, categories, tags, refusal="unclear")
    if _FUTURE.search(text):
        return Understanding(None, categories, tags, refusal="future")
    if (
        _ONE_LISTENER.search(text)
        or _asks_who(text)
        or _role_view(text)
        or _PERSON_VIEW.search(text)
    ):
        return Understanding(None, categories, tags, refusal="person")
    # A metric's word inside the name of a subject the question names is that subject's
    # ("velocidade de reprodução" is playback speed, not plays).
    untagged = _without_tag_names(text, tags)
    # One writer's detail ("how old is the listener who praised X") is refused as a person's,
    # as it was before these classes, unless a metric's word names it too ("idade").
    one_writer = bool(
        _PERSONAL_DETAIL.search(text) and _ONE_WRITER.search(text) and not _METRICS.search(untagged)
    )
    for pattern, held_pt, held_en in _NOT_HELD:
        # Found in the question as written too: removing a subject's name must not make one
        # ("qual versão ao vivo" is no "qual versão").
        if pattern.search(untagged) and pattern.search(text) and not one_writer:
            return Understanding(
                None, categories, tags, refusal="metric", not_held=(held_pt, held_en)
            )
    if (
        _METRICS.search(untagged)
        or _OTHER_COUNTS.search(untagged)
        or (_MUSIC_ENTITIES.search(text) and not tags)
        or _SONG_RANKING.search(text)
    ):
        return Understanding(None, categories, tags, refusal="metric")
    listed = (
        _ALL_COMMENTS.search(text)
        and _LISTING.search(text)
        and not (_COUNT.search(text) or _TOTAL.search(text) or _summary(text))
    )
    if _ALL_IDS.search(text) or listed:
        # "show me every comment about X": a digest quotes a few; "give me a summary of all the
        # comments" stays a summary.
        return Understanding(None, categories, tags, refusal="metric")
    if (
        _ALL_COMMENTS.search(text)
        and not tags
        and not (_COUNT.search(text) or _TOTAL.search(text) or _summary(text))
    ):
        return Understanding(None, categories, tags, refusal="metric")
    if _HOW_TO.search(text) or _TASK.search(text):
        return Understanding(None, categories, tags, refusal="off_topic")
    if _ARITHMETIC.search(text) and _ARITHMETIC_ASK.search(text):
        return Understanding(None, categories, tags, refusal="off_topic")
    if _OFF_TOPIC.search(text) and not tags and not categories:
        return Understanding(None, categories, tags, refusal="off_topic")
    if _PERSONAL_DATA.search(text) or (_PERSONAL_DETAIL.search(text) and _ONE_WRITER.search(text)):
        return Understanding(None, categories, tags, refusal="person")
    service = _OTHER_SERVICES.search(text)
    # "integration with other apps" names a subject of its own; Tidal or Spotify never do.
    # The competition is another product whatever subject it is asked about ("o que a
    # concorrência tá fazendo com busca").
    generic = service is not None and bool(
        re.match(r"(other|outr|the |o |a |os |as )(?!.*(compet|concorr|rival))", service[0])
    )
    if service and not _in_expressions(service[0], tags) and not (generic and tags):
        name = question[service.start() : service.end()].strip()
        return Understanding(None, categories, tags, refusal="entity", unknown_tag=name)
    names = _names(question)
    if _named_view(names, text):
        return Understanding(None, categories, tags, refusal="person")
    # "Tidal's prices", "the Acme app": a name that owns the subject is another product's.
    owned = _owned(names, text)
    if owned:
        return Understanding(None, categories, tags, refusal="entity", unknown_tag=owned[0])
    if names and not tags:
        return Understanding(None, categories, tags, refusal="entity", unknown_tag=" ".join(names))
    by_count = bool(_BY_COUNT.search(text))
    # "o que mais pediram, em número de menções?" ranks by mentions: not a count to report.
    text = _RANKED_BY.sub(" ", text)
    # "was November worse than October?" compares two periods; "piorou" is a move.
    unranked = re.sub(r"\b(worse|better|pior|melhor) (than|que|do que)\b", " ", text)
    up = bool(_MOVEMENT_UP.search(unranked))
    down = bool(_MOVEMENT_DOWN.search(unranked))
    superlative = _superlative(text)
    # "Em que semana o número de críticas caiu mas a participação subiu?": the two measures apart.
    apart_share = apart_direction(text)
    apart = bool(categories and apart_share)
    # "Quando as sugestões dispararam?": a category spiking is its share's biggest rise.
    category_spike = bool(
        categories
        and not tags
        and not down
        and (_WHEN.search(text) or superlative)
        and _SURGE.search(text)
        and not re.search(r"\b(share|participac\w*|fatia|percent\w*|porcent\w*)\b", text)
    )
    if category_spike:
        up, superlative = True, "max"
    elif (
        (categories or _CATEGORY_WORD.search(text))
        and not tags
        and not superlative
        and (up or down)
        and (_BIGGEST_MOVE.search(text) or (_WHEN.search(text) and _THE_MOVE.search(text)))
    ):
        superlative = "max"  # "a maior queda semanal das críticas", "when was the jump in X"
    elif categories and not tags and not superlative and _PEAK.search(text):
        superlative = "max"  # "qual foi o pico dos elogios?": its highest level
    moved = up or down or bool(_MOVEMENT_ANY.search(text))
    which = bool(_WHICH.search(text))
    category_word = bool(_CATEGORY_WORD.search(text))
    count = bool(_COUNT.search(text))
    trend = bool(_TREND.search(text))
    # A bare "Tendências?" or "News?" asks for the same overview.
    bare = len(text.split()) <= 3 and re.search(r"\b(tendencias?|trends?|novidades|news)\b", text)
    general = (
        bool(_GENERAL.search(text) or _how_did_go(text) or bare) and not tags and not categories
    )
    either = bool(_EITHER_WEEK.search(text)) and not moved

    def result(intent: Intent) -> Understanding:
        return Understanding(
            intent,
            categories,
            tags,
            up=up,
            down=down,
            when=bool(_WHEN.search(text)),
            significant=bool(_SIGNIFICANT.search(text)),
            trend=trend,
            top=_top(text),
            superlative=superlative,
            by_count=by_count,
            peak=bool(_PEAK.search(text)),
            start=bool(_START.search(text)),
            general=general,
            either=either,
            most=bool(_MOST.search(text)),
            least=bool(_LEAST.search(text)),
            single=bool(SINGLE_WEEK.search(text)),
            apart=apart,
            share_up=apart_share == "share_up",
            share_down=apart_share == "share_down",
            news=bool(_NEWS.search(text)),
        )

    if _SIGNIFICANT.search(text) and not tags:
        return result("movement")
    if _COMMENT_COUNT.search(text) and _TOP_ITEM.search(text) and not tags and not moved:
        # "quantos comentários semana passada e qual a maior reclamação?": two asks at once, the
        # week's volume and its top item, which is what a week's summary states.
        return result("summary")
    if (
        general
        and not moved
        and not (_TOTAL.search(text) and _TREND.search(text))
        and not _SPIKES.search(text)
        and not _COMPLAINTS.search(text)
        and not _SUGGESTIONS.search(text)
        and not _QUESTIONS.search(text)
    ):
        return result("summary")
    if superlative and not tags and not categories and not moved:
        return result("total")
    if _REVIEW.search(text) and not tags:
        return result("review")
    if SINGLE_WEEK.search(text) and not tags:
        complaints, suggestions = bool(_COMPLAINTS.search(text)), bool(_SUGGESTIONS.search(text))
        if complaints != suggestions:
            return result("complaints" if complaints else "suggestions")
    # "Quando os travamentos tiveram o pico?" asks when one subject peaked, not which tags spiked.
    if (
        _SPIKES.search(text)
        and not category_word
        and not category_spike
        and not (tags and (superlative or _WHEN.search(text) or _PEAK.search(text)))
        and not (categories and not tags and _PEAK.search(text))
    ):
        return result("spikes")
    if tags:
        return result("topic")
    if either:
        return result("compare")
    if _COMPARE.search(text) and not moved:
        return result("compare")
    if _QUESTIONS.search(text) and not count and not moved:
        return result("questions")
    if categories and not _asks_which(text) and _HOW_DID.search(text) and not moved:
        return result("category")
    if _IMPROVE.search(text) and not count:
        return result("improvements")
    if len(categories) >= 2 and re.search(r"\b(ou|or|vs|versus|than|que|do que)\b", text):
        # "Mais elogios ou críticas?": the categories side by side, not their tags.
        return result("category")
    complaints = bool(_COMPLAINTS.search(text))
    suggestions = bool(_SUGGESTIONS.search(text))
    # "a semana com menos sugestões" ranks the weeks by the category, not its items.
    week_ranking = bool(
        superlative
        and categories
        and _WEEK_WORD.search(text)
        and not (_BUSY.search(text) or _QUIET.search(text))
    )
    # Mentions are counted per item, comments per category: "how many mentions did the top
    # suggestion get" asks about an item.
    item_count = bool(re.search(r"\b(mencoes|mentions|mencionad\w*|mentioned)\b", text))
    lists_tags = (
        (complaints or suggestions)
        and not category_word
        and (not count or item_count)
        and not week_ranking
    )
    # "Em que semanas as críticas subiram?" asks when the category moved, not which tags did.
    asks_when = bool(_WHEN.search(text)) and (moved or trend)
    # "what's the trend for criticism?", "a evolução das sugestões": the category's course.
    course_of = bool(categories and _COURSE_OF.search(text))
    if (
        lists_tags
        and not asks_when
        and not course_of
        and (not (moved or trend) or (which and not _asks_yes_no(text)))
    ):
        if complaints and suggestions:
            return result("improvements")
        return result("complaints" if complaints else "suggestions")
    if _TAG_WORDS.search(text) and which and not categories and not count:
        return result("improvements")
    if _MOST_MENTIONED.search(text) and not categories and not category_word:
        return result("improvements")
    if (
        moved
        and not categories
        and not category_word
        and (
            _VOLUME.search(text)
            or (
                (superlative or _BIGGEST_MOVE.search(text))
                and re.search(r"\b(comentarios|comments|feedbacks?)\b", text)
            )
        )
    ):
        # "o volume caiu?", "which week saw the biggest jump in comments?": the week's number of
        # comments; "a maior queda no volume" is the week of the largest move.
        if not superlative and (up != down) and _BIGGEST_MOVE.search(text):
            superlative = "max"
        return result("total")
    if categories or category_word:
        if _COMPARE.search(text):
            return result("compare")
        if moved:
            return result("movement")
        if trend:
            return result("trend")
        return result("category")
    if moved:
        return result("movement")
    if _COMPARE.search(text):
        return result("compare")
    if _TOTAL.search(text) or count:
        return result("total")
    if trend and _DOMAIN.search(text):
        return result("trend")
    if _summary(text) or _DOMAIN.search(text):
        return result("summary")
    return Understanding(None, categories, tags, refusal="off_topic")


_UP_WORD: Final = _rx(
    r"\b(up|sub\w*|rose|rise|rising|increas\w*|grew|grow\w*|aument\w*|cresc\w*|higher|maior)\b"
)
_DOWN_WORD: Final = _rx(
    r"\b(down|caiu|cai|cair|caindo|fell|fall\w*|decreas\w*|drop\w*|diminu\w*|lower|menor)\b"
)
_SHARE_WORD: Final = _rx(r"\b(share|participac\w*|fatia|percent\w*|porcent\w*|proporc\w*)\b")
_APART_WORD: Final = _rx(r"\b(apart|opposite|opost\w*|diverg\w*|contrar\w*)\b")
_COUNT_WORD: Final = _rx(r"\b(count|number|numero|quantidade|volume|comments|comentarios)\b")


def apart_direction(text: str) -> str:
    """For a question about a share and a count moving apart: "share_up", "share_down", or
    "apart" when it names no direction for each; "" when it is not such a question."""
    share, count = _SHARE_WORD.search(text), _COUNT_WORD.search(text)
    moves = [(m.start(), "up") for m in _UP_WORD.finditer(text)]
    moves += [(m.start(), "down") for m in _DOWN_WORD.finditer(text)]
    if share and count and _APART_WORD.search(text):
        return "apart"
    if not (share and count and {d for _, d in moves} == {"up", "down"}):
        return ""

    def direction(word: re.Match[str]) -> str:
        # The verb after the measure ("o número subiu", "share rose") when it is close, else the
        # nearest one ("went up in count").
        before = text[max(0, word.start() - 16) : word.start()]
        in_measure = re.search(r"(\w+) (in|em|de) (the |its |a |o |their )?$", before)
        if in_measure:  # "up in count", "down in share"
            if _UP_WORD.fullmatch(in_measure[1]):
                return "up"
            if _DOWN_WORD.fullmatch(in_measure[1]):
                return "down"
        after = [(at - word.end(), d) for at, d in moves if 0 <= at - word.end() <= 25]
        if after:
            return min(after)[1]
        return min((abs(at - word.start()), d) for at, d in moves)[1]

    share_dir, count_dir = direction(share), direction(count)
    if share_dir == count_dir:
        return "apart"
    return "share_up" if share_dir == "up" else "share_down"


def _without_tag_names(text: str, tags: tuple[str, ...]) -> str:
    """`text` without the phrases that name `tags` (their vocabulary names and the plain
    expressions of the taxonomy, of several words), so that their words are the subject's."""
    specs = {spec.tag: spec for spec in default_taxonomy().specs}
    names: set[str] = set()
    for tag in tags:
        names.update(fold(tag_name(tag, language)) for language in ("pt", "en"))
        if tag in specs:
            names.update(
                fold(e) for e in specs[tag].pt + specs[tag].en if not re.search(r"[*{\[]", e)
            )
    for name in sorted(names, key=len, reverse=True):
        # Only a name of several words: a one-word name ("price") is the word a metric asks
        # about ("the price of the plan"), not a subject holding it.
        if " " in name:
            text = re.sub(rf"\b{re.escape(name)}\b", " ", text)
    return text


def _in_expressions(word: str, tags: tuple[str, ...]) -> bool:
    """Whether `word` is part of how the taxonomy writes one of `tags` ("live no YouTube")."""
    specs = {spec.tag: spec for spec in default_taxonomy().specs}
    return any(
        word in fold(expression)
        for tag in tags
        if tag in specs
        for expression in specs[tag].pt + specs[tag].en
    )


_VOLUME: Final = _rx(
    r"\b(volume|(numero|quantidade|total|number|amount) (de|of) (comentarios|comments|feedbacks?)|"
    r"(comentarios|comments) (recebidos|received)|"
    # How busy the week was, in everyday words: "caiu o movimento?", "did traffic drop?".
    r"(o )?movimento|traffic|activity|atividade)\b"
)
_HOW_DID: Final = _rx(
    r"\b(como (foi|foram|esta|estao|estavam|estava|andam|anda|andaram|ficou|ficaram|se sairam|"
    r"se saiu|vai|vao|evolu\w*)|how (did|do|does|are|were|is|was|have)\b.{0,40}\b(do|doing|done|go|"
    r"going|gone|look|looking|fare|faring|perform\w*|trend\w*|evolv\w*)|how (are|were|is|was) "
    r"(the )?(criticism|complaints|praise|suggestions|questions|spam|compliments|requests)\b)"
)


def _summary(text: str) -> bool:
    return bool(_SUMMARY.search(text)) or _how_did_go(text)


def _asks_which(text: str) -> bool:
    """Whether the question asks for a list ("quais", "which", "top 3"), not a course."""
    return bool(re.search(r"\b(quais|qual|which|what|top|principais|main|biggest|maiores)\b", text))


def _asks_yes_no(text: str) -> bool:
    # "As críticas subiram?" / "Did complaints rise?": about the category, not a list of tags.
    return not re.search(r"\b(quais|qual|which|what|que|top|principais|main|biggest)\b", text)
