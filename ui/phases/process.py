from ui.questionnaire import render

render("process")
