"""Clean hook for opening an action from a compliance evaluation (the actions app registers one).

    from requirements import hooks
    hooks.evaluation_needs_action.append(open_action_for_evaluation)

Each callable is ``func(evaluation, actor) -> action``. ``evaluation_record`` calls every registered
callable inside its own transaction when the result is partly or not compliant; if one raises, the
evaluation is not recorded either (a gap found must not be recorded without its action).
"""

evaluation_needs_action: list = []
