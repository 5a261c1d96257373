"""template.yaml's demand training state machine: a valid definition (Amazon States Language,
parsed by moto's port of the Step Functions interpreter) wired to the train handler's steps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

from aktina_ml.demand.staged import ACTIONS, FINISH, FIT, PREPARE

ROOT = Path(__file__).resolve().parents[2]
MACHINE = "DemandTrainingStateMachine"
TRANSIENT = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    decoded, problems = decode_str((ROOT / "template.yaml").read_text())
    assert not problems
    return decoded


@pytest.fixture(scope="module")
def definition(template) -> dict[str, Any]:
    return template["Resources"][MACHINE]["Properties"]["Definition"]


def tasks(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every Task state by name, the Map's inner ones included."""
    found = {}
    for name, state in definition["States"].items():
        if state["Type"] == "Task":
            found[name] = state
        if state["Type"] == "Map":
            found |= tasks(state["ItemProcessor"])
    return found


def test_the_definition_parses_as_amazon_states_language(template, definition):
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    # Given the definition with its substitutions made, as CloudFormation makes them
    text = json.dumps(definition)
    for name in template["Resources"][MACHINE]["Properties"]["DefinitionSubstitutions"]:
        arn = f"arn:aws:lambda:eu-west-1:123456789012:function:{name}"
        text = text.replace("${" + name + "}", arn)
    parsed = json.loads(text)
    # (moto's grammar reads ToleratedFailurePercentage as a decimal only; AWS takes both)
    fan_out = parsed["States"]["FitProducts"]
    fan_out["ToleratedFailurePercentage"] = float(fan_out["ToleratedFailurePercentage"])
    # When parsed / Then it is a program (a misspelt field or state fails here, not at deploy)
    program, _ = AmazonStateLanguageParser.parse(json.dumps(parsed))
    assert program is not None


def test_the_map_reads_the_prepared_task_list_from_s3_and_fans_out_bounded(template, definition):
    fan_out = definition["States"]["FitProducts"]
    assert definition["States"]["Prepare"]["Next"] == "FitProducts"
    # The task list prepare wrote: JSON in the model bucket, the key from prepare's answer
    reader = fan_out["ItemReader"]
    assert reader["Resource"] == "arn:aws:states:::s3:getObject"
    assert reader["ReaderConfig"]["InputType"] == "JSON"
    assert reader["Parameters"] == {"Bucket": "${ModelBucketName}", "Key.$": "$.tasks_key"}
    assert fan_out["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    # Bounded, and no more than the function may run at once
    reserved = template["Resources"]["DemandTrainFunction"]["Properties"]
    assert 1 <= fan_out["MaxConcurrency"] <= reserved["ReservedConcurrentExecutions"]
    # One product's failure does not stop the run (finish falls back for it)
    assert 0 < fan_out["ToleratedFailurePercentage"] <= 25
    # The Map keeps no output (fits are in the staging area): finish gets prepare's answer
    assert fan_out["ResultPath"] is None
    assert definition["States"]["Finish"]["Parameters"]["Payload"] == {
        "action": FINISH,
        "run.$": "$.run",
    }


def test_every_step_invokes_the_demand_function_with_one_of_its_actions(definition):
    steps = tasks(definition)
    assert set(steps) == {"Prepare", "FitProduct", "Finish"}
    for state in steps.values():
        assert state["Resource"] == "arn:aws:states:::lambda:invoke"
        assert state["Parameters"]["FunctionName"] == "${DemandTrainFunctionArn}"
    assert steps["Prepare"]["Parameters"]["Payload"] == {"action": PREPARE, "input.$": "$"}
    # The fit's payload is the Map item itself: prepare wrote {"action": FIT, ...} items
    assert steps["FitProduct"]["Parameters"] == {
        "FunctionName": "${DemandTrainFunctionArn}",
        "Payload.$": "$",
    }
    # and each item's output is {}: the Map's results stay small for any catalogue
    assert steps["FitProduct"]["OutputPath"] is None
    assert {PREPARE, FIT, FINISH} == set(ACTIONS)


def test_each_step_outlives_its_lambda_and_retries_only_transient_errors(template, definition):
    timeout = template["Resources"]["DemandTrainFunction"]["Properties"]["Timeout"]
    assert timeout <= 900
    for name, state in tasks(definition).items():
        # Then the state waits longer than the function can run (a timeout is the function's)
        assert state["TimeoutSeconds"] > timeout, name
        (retry,) = state["Retry"]
        assert set(retry["ErrorEquals"]) >= TRANSIENT, name
        assert not {"States.ALL", "States.TaskFailed", "States.Timeout"} & set(
            retry["ErrorEquals"]
        ), name
        assert retry["MaxAttempts"] <= 10, name
        assert retry["BackoffRate"] >= 1, name
    assert definition["TimeoutSeconds"] > 3 * timeout


def test_the_schedule_starts_the_state_machine_like_the_other_trainings(template):
    machine = template["Resources"][MACHINE]["Properties"]["Events"]["Daily"]
    forecast = template["Resources"]["ForecastTrainFunction"]["Properties"]["Events"]["Daily"]
    assert machine["Type"] == "ScheduleV2"
    for field in ("ScheduleExpression", "ScheduleExpressionTimezone", "State"):
        assert machine["Properties"][field] == forecast["Properties"][field]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_step_has_an_event_for_sam_local_invoke(action):
    event = json.loads((ROOT / "events" / f"{action}.json").read_text())
    assert event["action"] == action
