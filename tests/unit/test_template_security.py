"""template.yaml: database TLS and KMS for the training functions, API access logs, alarms,
and the demand training state machine's least privilege."""

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


MACHINE = "DemandTrainingStateMachine"
MACHINE_NAME = {"Fn::Sub": "${AWS::StackName}-demand-training"}
STAGING = {"Fn::Sub": "${ModelBucket.Arn}/models/demand/staging/*"}


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_state_machine_is_named_so_its_policy_can_name_it(template):
    assert template["Resources"][MACHINE]["Properties"]["Name"] == MACHINE_NAME


def test_the_state_machine_may_only_invoke_the_demand_function_and_read_its_staging(template):
    # Given the state machine's policy
    found = statements(template["Resources"][MACHINE])
    granted: dict[str, list[Any]] = {}
    for statement in found:
        # Then it only allows, with no wildcard action and no "*" resource
        assert statement["Effect"] == "Allow"
        assert "Condition" not in statement
        for action in actions(statement):
            assert "*" not in action
            granted.setdefault(action, []).extend(listed(statement["Resource"]))
    assert all(resource != "*" for resources in granted.values() for resource in resources)
    # And it invokes the demand train function (any version) and nothing else
    assert granted.pop("lambda:InvokeFunction") == [
        {"Fn::GetAtt": ["DemandTrainFunction", "Arn"]},
        {"Fn::Sub": "${DemandTrainFunction.Arn}:*"},
    ]
    # And reads the staged runs (the Map's task list) only
    assert granted.pop("s3:GetObject") == [STAGING]
    # And runs the Distributed Map's child executions of itself, named by its own name
    (start,) = granted.pop("states:StartExecution")
    assert start["Fn::Sub"].endswith(":stateMachine:${AWS::StackName}-demand-training")
    for action in ("states:DescribeExecution", "states:StopExecution"):
        (execution,) = granted.pop(action)
        assert execution["Fn::Sub"].endswith(":execution:${AWS::StackName}-demand-training/*")
    assert granted == {}


def test_the_demand_train_function_touches_only_the_demand_models(template):
    s3 = [
        statement
        for statement in statements(template["Resources"]["DemandTrainFunction"])
        if "Fn::If" not in statement and any(a.startswith("s3:") for a in actions(statement))
    ]
    for statement in s3:
        resources = listed(statement["Resource"])
        if actions(statement) == {"s3:ListBucket"}:
            assert statement["Condition"]["StringLike"]["s3:prefix"] == "models/demand/*"
        else:
            assert actions(statement) == {"s3:GetObject", "s3:PutObject"}
            assert resources == [{"Fn::Sub": "${ModelBucket.Arn}/models/demand/*"}]


def test_serving_reads_the_promoted_demand_model_but_not_its_staged_runs(template):
    demand = [
        resource
        for statement in statements(template["Resources"]["ForecastFunction"])
        for resource in listed(statement["Resource"])
        if "demand" in str(resource)
    ]
    assert demand == [
        {"Fn::Sub": "${ModelBucket.Arn}/models/demand/current.json"},
        {"Fn::Sub": "${ModelBucket.Arn}/models/demand/versions/*"},
    ]


def test_staged_runs_expire(template):
    rules = template["Resources"]["ModelBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    (staged,) = [rule for rule in rules if rule.get("Prefix") == "models/demand/staging/"]
    assert staged["Status"] == "Enabled"
    assert 1 <= staged["ExpirationInDays"] <= 7


def test_a_failed_demand_run_alarms(template):
    properties = template["Resources"]["DemandTrainingRunFailedAlarm"]["Properties"]
    watched = {
        query["MetricStat"]["Metric"]["MetricName"]
        for query in properties["Metrics"]
        if "MetricStat" in query
    }
    assert watched == {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"}
    for query in properties["Metrics"]:
        if "MetricStat" in query:
            (dimension,) = query["MetricStat"]["Metric"]["Dimensions"]
            assert dimension["Value"] == {"Ref": MACHINE}
    assert properties["AlarmActions"]["Fn::If"][0] == "HasAlarmTopic"


def test_health_may_read_every_models_pointer_and_head_its_artifact(template):
    from aktina_ml.registry import MODEL_NAMES

    # Given the health function's policy (it checks every kind the registry lists)
    found = statements(template["Resources"]["HealthFunction"])
    (reads,) = [s for s in found if actions(s) == {"s3:GetObject"}]
    (listing,) = [s for s in found if actions(s) == {"s3:ListBucket"}]
    resources = listed(reads["Resource"])
    for name in MODEL_NAMES:
        # Then each kind's pointer and artifacts, and nothing of a staged run
        assert {"Fn::Sub": f"${{ModelBucket.Arn}}/models/{name}/current.json"} in resources
        artifact = {"Fn::Sub": f"${{ModelBucket.Arn}}/models/{name}/versions/*/model.joblib"}
        assert artifact in resources
        assert f"models/{name}/*" in listing["Condition"]["StringLike"]["s3:prefix"]
    assert "staging" not in str(resources)
