import logging

from minzheng.kit.masking import (
    MaskSensitiveFilter,
    mask_bank_account,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)


def test_masks_keep_only_the_permitted_parts():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_bank_account("6222 0212 3456 7890 123") == "6222***********0123"
    assert (mask_name("张三"), mask_name("李小明"), mask_name("欧阳小明")) == (
        "张*",
        "李*明",
        "欧**明",
    )
    assert (mask_id_number(""), mask_phone(None)) == ("", "")


def test_mask_text_catches_ids_phones_and_cards_in_free_text():
    text = "申请人11010519491231002X，电话13812345678，卡号6222021234567890123。"
    assert mask_text(text) == "申请人110105********002X，电话138****5678，卡号6222***********0123。"


def test_logging_filter_masks_the_formatted_message(caplog):
    logger = logging.getLogger("minzheng.test.masking")
    logger.addFilter(MaskSensitiveFilter())
    with caplog.at_level(logging.INFO, logger="minzheng.test.masking"):
        logger.info("核对 %s 的手机 %s", "11010519491231002X", "13812345678")
    assert caplog.messages == ["核对 110105********002X 的手机 138****5678"]
