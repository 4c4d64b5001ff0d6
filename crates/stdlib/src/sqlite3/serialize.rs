//! `Connection.serialize` and `Connection.deserialize`: a database as the
//! bytes of its file image, and back.

use super::connection::split;
use super::errors::{operational, OrRaise};
use krait_vm::{Args, PyResult, Value, Vm};

fn name_arg(vm: &Vm, v: &Option<Value>, func: &str) -> PyResult<String> {
    match v {
        Some(v) => Ok(super::values::str_arg(vm, v, func, "argument 'name'")?.to_string()),
        None => Ok("main".to_string()),
    }
}

/// `serialize(*, name='main')`.
pub fn serialize(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "serialize")?;
    let a = vm.bind_native("serialize", rest, &["name"], 0, 0, Some(0))?;
    let name = name_arg(vm, &a[0], "serialize")?;
    let data = c.with_db(vm, |db| db.serialize(name.as_str()).map(|d| d.to_vec()).or_raise(vm))?;
    Ok(vm.new_bytes(data))
}

/// `deserialize(data, /, *, name='main')`.
pub fn deserialize(vm: &Vm, args: Args) -> PyResult {
    let (_, c, rest) = split(vm, args, "deserialize")?;
    let a = vm.bind_native("deserialize", rest, &["data", "name"], 1, 1, Some(1))?;
    let v = a[0].clone().unwrap_or(Value::None);
    let data = super::values::buffer_arg(vm, &v)?;
    let name = name_arg(vm, &a[1], "deserialize")?;
    c.check(vm)?;
    let Ok(mut slot) = c.db.try_borrow_mut() else {
        return Err(operational(vm, "the database is in use"));
    };
    let Some(db) = slot.as_mut().and_then(std::rc::Rc::get_mut) else {
        return Err(operational(vm, "the database is in use by a cursor"));
    };
    let len = data.len();
    c.scoped(vm, || db.deserialize_read_exact(name.as_str(), &data[..], len, false)).or_raise(vm)?;
    Ok(Value::None)
}
