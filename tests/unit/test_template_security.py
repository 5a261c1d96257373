"""template.yaml: database TLS and KMS for the training functions, API access logs, alarms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
TRAINERS = ("SegmentTrainFunction", "ForecastTrainFunction", "DemandTrainFunction")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    decoded, problems = decode_str(TEMPLATE.read_text())
    assert not problems
    return decoded


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in function["Properties"]["Policies"]:
        if isinstance(policy, dict) and "Statement" in policy:
            found.extend(policy["Statement"])
    return found


@pytest.mark.parametrize("name", TRAINERS)
def test_training_verifies_the_databases_certificate(template, name):
    variables = template["Resources"][name]["Properties"]["Environment"]["Variables"]
    assert variables["AKTINA_DB_SSL_CA"] == {"Ref": "DbSslCa"}
    assert template["Parameters"]["DbSslCa"]["Default"] == "/var/task/rds-global-bundle.pem"


@pytest.mark.parametrize("name", TRAINERS)
def test_training_may_decrypt_a_customer_managed_secret_key_only_through_secrets_manager(
    template, name
):
    conditional = [s["Fn::If"] for s in statements(template["Resources"][name]) if "Fn::If" in s]
    (kms,) = [then for condition, then, _ in conditional if condition == "HasDbSecretKmsKey"]
    assert kms["Action"] == "kms:Decrypt"
    assert kms["Resource"] == {"Ref": "DbSecretKmsKeyArn"}
    via = kms["Condition"]["StringEquals"]["kms:ViaService"]
    assert via == {"Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}
    assert template["Parameters"]["DbSecretKmsKeyArn"]["Default"] == ""


def test_api_writes_access_logs_to_a_group_with_retention(template):
    resources = template["Resources"]
    setting = resources["Api"]["Properties"]["AccessLogSetting"]
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]}
    for field in ("$context.requestId", "$context.status", "$context.responseLatency"):
        assert field in setting["Format"]
    assert "\n" not in setting["Format"]
    assert resources["ApiAccessLogs"]["Properties"]["RetentionInDays"] == {
        "Ref": "LogRetentionDays"
    }
    assert resources["ApiGatewayAccount"]["Condition"] == "CreateApiGatewayLogsRole"
    assert resources["Api"]["DependsOn"] == "ApiGatewayLogsRoleReady"


@pytest.mark.parametrize(
    ("alarm", "metric"), [("Api5xxAlarm", "5XXError"), ("ApiLatencyAlarm", "Latency")]
)
def test_api_alarms_watch_the_stage(template, alarm, metric):
    properties = template["Resources"][alarm]["Properties"]
    assert (properties["Namespace"], properties["MetricName"]) == ("AWS/ApiGateway", metric)
    assert {d["Name"] for d in properties["Dimensions"]} == {"ApiName", "Stage"}
    assert properties["AlarmActions"]["Fn::If"][0] == "HasAlarmTopic"


SERVERS = ("SegmentFunction", "ForecastFunction", "PredictSalesFunction", "HealthFunction")
ROOT = {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}


def key_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    return template["Resources"]["ModelSigningKey"]["Properties"]["KeyPolicy"]["Statement"]


def actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def principals(statement: dict[str, Any]) -> list[Any]:
    named = statement["Principal"]["AWS"]
    return named if isinstance(named, list) else [named]


def role(function: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [f"{function}Role", "Arn"]}


def allowed(template: dict[str, Any], action: str) -> list[Any]:
    """Who the signing key's policy lets do ``action`` (wildcards count)."""
    return [
        principal
        for statement in key_statements(template)
        if statement["Effect"] == "Allow"
        and any(
            a == action or (a.endswith("*") and action.startswith(a[:-1]))
            for a in actions(statement)
        )
        for principal in principals(statement)
    ]


def test_only_the_training_roles_may_sign_models(template):
    assert sorted(map(str, allowed(template, "kms:Sign"))) == sorted(
        str(role(name)) for name in TRAINERS
    )


def test_only_the_training_and_serving_roles_may_verify(template):
    assert sorted(map(str, allowed(template, "kms:Verify"))) == sorted(
        str(role(name)) for name in TRAINERS + SERVERS
    )


def test_the_account_administers_the_key_without_using_it(template):
    # The account root keeps what keeps the key manageable (CreateKey refuses a policy that
    # does not let the deployer put a policy again), and nothing that signs, verifies or grants
    (admin,) = [s for s in key_statements(template) if ROOT in principals(s)]
    granted = actions(admin)
    assert {"kms:PutKeyPolicy", "kms:GetKeyPolicy", "kms:ScheduleKeyDeletion"} <= granted
    assert not any("*" in a for a in granted)
    assert not granted & {"kms:Sign", "kms:Verify", "kms:CreateGrant", "kms:Decrypt"}
    assert not any(s.get("Condition") or s["Effect"] != "Allow" for s in key_statements(template))


@pytest.mark.parametrize("name", TRAINERS + SERVERS)
def test_no_function_policy_grants_use_of_the_signing_key(template, name):
    # The key policy alone grants it: an IAM statement here would be a second place to drift
    for statement in statements(template["Resources"][name]):
        assert "ModelSigningKey" not in str(statement)
