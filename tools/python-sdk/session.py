"""A whole stateful session of the 12 operations with Telnyx's official Python SDK
against a running telnyx-mock, then a lost create answer reproduced through the
mock's control API. Usage: session.py BASE_URL API_KEY (BASE_URL ends in /v2).

Exits non-zero on the first operation that fails or returns the wrong state."""

import json
import sys
import urllib.request

import telnyx

base_url, api_key = sys.argv[1], sys.argv[2]
root = base_url.rsplit("/v2", 1)[0]
# max_retries=0: the SDK retries 5xx by itself; the lost-create check below
# wants to see the single 500 the mock was told to answer.
client = telnyx.Telnyx(api_key=api_key, base_url=base_url, max_retries=0)
accounts, users = client.managed_accounts, client.organizations.users


def check(ok, what):
    if not ok:
        sys.exit(f"FAILED: {what}")
    print(f"ok: {what}")


def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(root + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as answer:
        return json.loads(answer.read() or b"null")


before = len(list(accounts.list(page_size=2)))                       # 1 list, 2 a page
check(before >= 1, "list pages through the seed accounts")
made = accounts.create(business_name="SDK Session Co", email="sdk@session.example.com",
                       rollup_billing=False)                           # 2 create
account_id = made.data.id
check(made.data.api_key, "create returns the new account's api_key")
check(accounts.get_allocatable_global_outbound_channels().data is not None,
      "allocatable global outbound channels")                          # 3
check(accounts.retrieve(account_id).data.email == "sdk@session.example.com",
      "retrieve finds the created account")                            # 4
updated = accounts.update(id=account_id, managed_account_allow_custom_pricing=True)  # 5
check(updated.data.managed_account_allow_custom_pricing is True, "update changes the field")
accounts.actions.disable(account_id)                                  # 6
disabled = [a.id for a in accounts.list(filter={"status": {"eq": "disabled"}})]
check(account_id in disabled, "disable: the account lists as disabled")
accounts.actions.enable(id=account_id, reenable_all_connections=True)  # 7
enabled = [a.id for a in accounts.list(filter={"status": {"eq": "enabled"}})]
check(account_id in enabled, "enable: the account lists as enabled again")
limit = accounts.update_global_channel_limit(id=account_id, channel_limit=30)  # 8
check(limit.data.channel_limit == 30, "update_global_channel_limit")
check(account_id in [a.id for a in accounts.list()], "list pages to the new account")

listed = list(users.list(include_groups=True))                        # 9
check(len(listed) > 0, "organization users list")
report = users.get_groups_report()                                    # 10
check(report is not None, "groups report (JSON)")
user_id = listed[0].id
check(users.retrieve(id=user_id).data.id == user_id, "retrieve an organization user")  # 11
users.actions.remove(user_id)                                         # 12
try:
    users.retrieve(id=user_id)
    check(False, "a removed user answers 404")
except telnyx.NotFoundError:
    check(True, "a removed user answers 404")

# The most dangerous answer: a create the server processed, answered with 500.
control("POST", "/__mock/faults", {"method": "POST", "path": "/v2/managed_accounts",
                                   "fault": "status_after_processing", "status": 500})
try:
    accounts.create(business_name="Lost Answer Co", email="lost@session.example.com")
    check(False, "the create answer is lost (500)")
except telnyx.InternalServerError:
    check(True, "the create answer is lost (500)")
found = list(accounts.list(filter={"email": {"eq": "lost@session.example.com"}}))
check(len(found) == 1, "the lost create did create the account: exactly one")
seen = control("GET", "/__mock/requests")
check(len(json.dumps(seen)) > 2 and api_key not in json.dumps(seen),
      "the recorded requests show no API key")
print("python SDK session: all 12 operations and the lost create passed")
