from ui.questionnaire import render

render("strategy")
