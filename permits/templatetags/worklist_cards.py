"""The worklist's cards (/kantor/), drawn in one tag.

A page holds 25 cards of a dozen values and conditions each: as template tags they were ~300 nodes,
a quarter of the page's CPU at 1 M applications (issue #18: the page must take < 25 ms). Here each
card is one `format_html` of values the view already formatted; the labels are translated once per
page and the CSRF token is read once (the context's `csrf_token`), not minted per card.
"""
from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

_CARD = ('  <li class="card{late_class}">\n'
         '    <p><a href="{url}"><strong>{number}</strong></a>\n'
         '      {late_badge}\n'
         '      {mine_badge}</p>\n'
         '    <p>{permit_type}<br>\n'
         '      <span class="muted">{step_label}:</span> {step}{agency}<br>\n'
         '      <span class="muted">{due_label}:</span> {due}</p>\n'
         '    {signs}\n'
         '    {claim}\n'
         '  </li>\n')


@register.simple_tag(takes_context=True)
def worklist_cards(context: template.Context, rows: list[dict]) -> SafeString:
    """The `<li>` of each card in `rows` (the dicts `permits.views.office.worklist_page` builds).

    Each card is one `format_html`, which escapes every value a card varies by; the
    labels and the fixed parts once per page."""
    step_label, due_label = gettext("Langkah"), gettext("Batas waktu")
    late_badge = format_html('<span class="badge bad">{}</span>', gettext("Terlambat"))
    mine_badge = format_html('<span class="badge">{}</span>', gettext("Diambil oleh saya"))
    claim = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}"><button type="submit">{}</button>'
                        '</form>', str(context.get("csrf_token", "")), gettext("Ambil"))
    signs_me = format_html('<p class="good" data-signs="me">{}</p>',
                           gettext("Anda memegang wewenang tanda tangan hari ini."))
    signs_nobody = format_html('<p class="warn" data-signs="nobody">{}</p>', gettext(
        "Belum ada pejabat yang dapat menandatangani hari ini; periksa pelimpahan wewenang dan Plh/Plt."))
    by, not_offered = gettext("Ditandatangani hari ini oleh"), gettext("Keputusan tidak ditawarkan kepada Anda.")
    cards = []
    for row in rows:
        authority = row["authority"]
        if authority is None:
            signs = ""
        elif row["may_decide"]:
            signs = signs_me
        elif authority.official:
            signs = format_html('<p class="warn" data-signs="other">{} {}. {}</p>', by, authority.signs_as,
                                not_offered)
        else:
            signs = signs_nobody
        is_late = row["is_late"]
        cards.append(format_html(
            _CARD, late_class=" late" if is_late else "", url=row["url"], number=str(row["number"]),
            late_badge=late_badge if is_late else "", mine_badge=mine_badge if row["claimed_by_me"] else "",
            permit_type=row["permit_type"], step_label=step_label, step=row["step"],
            agency=format_html(" ({})", row["agency"]) if row["agency"] else "", due_label=due_label,
            due=row["due"], signs=signs,
            claim=format_html('<form method="post" action="{}">{}', row["claim_url"], claim) if row["may_claim"]
            else ""))
    return format_html_join("", "{}", ((card,) for card in cards))
