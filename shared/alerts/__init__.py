"""Alerts: a stakeholder hears that a tag or category spiked or dropped when it happens.

- `check`: the counts of the last hour and day against the same hours of the previous 4 weeks,
  read from the rollups, tested, and the significant ones stored once per (rule, window);
- `channels`: where alerts go (webhooks, Slack-shaped or plain JSON, and e-mail);
- `delivery`: each alert sent once per channel, a failed channel retried alone on the next run;
- `service`: one run (check, then deliver) and the stored alerts read back.
"""
