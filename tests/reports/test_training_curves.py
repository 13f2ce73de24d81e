"""The direction report's training curves (issue 11, point 8): from a TrainingResult and from its bundle."""

import re

from pyanalytics.reports import from_bundle, from_training, render_report


def _training(page: str) -> str:
    start = page.index('<section id="training"')
    return page[start:page.index("</section>", start)]


def test_the_direction_report_draws_the_training_curves_of_the_result_and_of_its_bundle(report_result, report_market,
                                                                                       tmp_path):
    from pyanalytics.bundle import load_bundle

    estimator = report_result.estimator
    epochs = len(estimator.history_["loss"])
    bundle = load_bundle(report_result.save(tmp_path / "bundle"))
    assert bundle.estimator.history_ == estimator.history_  # the bundle saved the history
    for page in (render_report(from_training(report_result)), render_report(from_bundle(bundle, report_market))):
        training = _training(page)
        assert f"Best epoch {estimator.best_epoch_} of {epochs}" in training
        assert "on the training part and on the validation part" in training
        assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Training curves', training)
        assert '<a href="#training">Training</a>' in page


def test_a_report_without_a_history_has_no_training_section(report_result):
    import dataclasses

    page = render_report(dataclasses.replace(from_training(report_result), history=None))
    assert 'id="training"' not in page and 'href="#training"' not in page
