"""template.yaml: database TLS and KMS for the training functions, API access logs, alarms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
TRAINERS = ("SegmentTrainFunction", "ForecastTrainFunction")


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
